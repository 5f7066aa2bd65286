using CloudBus.Bench;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using CloudBus.AgentClient;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Security.Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// Mutual TLS between the control plane and a real agent process: the agent answers only a
/// control-plane service's certificate of its CA, and the control plane's agent client accepts an
/// agent only with the certificate of the host it calls.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentMutualTlsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly LocalCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task An_agent_answers_its_routes_only_to_a_control_plane_certificate_of_its_ca()
    {
        await using var agent = await StartAgentAsync(servingCertificateOf: "host-1");
        using var foreignCa = new LocalCertificates();

        // Health stays open, as on every service.
        using (var anonymous = AgentCaller(clientCertificate: null))
        using (var health = await anonymous.GetAsync(new Uri(agent.BaseAddress, "health/ready")))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        foreach (var (who, certificate) in new (string, X509Certificate2?)[]
                 {
                     ("no certificate", null),
                     ("a host's certificate", Load(_certificates.Host("host-2"))),
                     ("a service certificate of another CA", Load(foreignCa.Service("HostMonitor"))),
                 })
        {
            using var http = AgentCaller(certificate);
            using var refused = await http.PostAsync(new Uri(agent.BaseAddress, "hosts/host-1/vms/vm-1/destroy"), null);
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{who}: {refused.StatusCode}");
        }

        using var service = AgentCaller(Load(_certificates.Service("HostMonitor")));
        using var ping = await service.GetAsync(new Uri(agent.BaseAddress, "hosts/host-1/ping"));
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task The_control_plane_accepts_an_agent_only_with_the_certificate_of_the_host_it_calls()
    {
        await using var honest = await StartAgentAsync(servingCertificateOf: "host-1");
        // An agent that answers for host-1 with host-2's certificate: what a host taking over
        // another's address would present.
        await using var impostor = await StartAgentAsync(servingCertificateOf: "host-2");
        await using var services = AgentClientServices(_certificates.ServiceSettings("HostMonitor"));
        var client = services.GetRequiredService<HostAgentClient>();
        using var deadline = new CancellationTokenSource(Timeout);

        var ping = await client.PingAsync([honest.BaseAddress], "host-1", deadline.Token);
        Assert.Equal("host-1", ping.HostId);

        var refused = await Assert.ThrowsAsync<AgentUnavailableException>(() => client.PingAsync([impostor.BaseAddress], "host-1", deadline.Token));
        Assert.Contains("host host-2", refused.Message, StringComparison.Ordinal);
        Assert.False(refused.IsRefusal);

        // Plain http is never called once mutual TLS is on: not even the honest agent's port.
        var plain = new UriBuilder(honest.BaseAddress) { Scheme = "http" }.Uri;
        var notCalled = await Assert.ThrowsAsync<AgentUnavailableException>(() => client.PingAsync([plain], "host-1", deadline.Token));
        Assert.Contains("plain http", notCalled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_on_a_connection_opened_as_one_host_is_not_taken_as_another_hosts()
    {
        // One agent process, a simulated fleet of two hosts, serving host-1's certificate.
        await using var agent = await StartAgentAsync(servingCertificateOf: "host-1", hosts: "host-1,host-2");
        await using var services = AgentClientServices(_certificates.ServiceSettings("HostMonitor"));
        var client = services.GetRequiredService<HostAgentClient>();
        using var deadline = new CancellationTokenSource(Timeout);

        Assert.Equal("host-1", (await client.PingAsync([agent.BaseAddress], "host-1", deadline.Token)).HostId);
        // The pooled connection is open and trusted for host-1: host-2 must not ride on it.
        var refused = await Assert.ThrowsAsync<AgentUnavailableException>(() => client.PingAsync([agent.BaseAddress], "host-2", deadline.Token));
        Assert.Contains("the certificate of host host-1 was presented where host host-2's is needed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_libvirt_agent_without_tls_or_with_another_hosts_certificate_refuses_to_start()
    {
        var basics = new Dictionary<string, string>
        {
            ["HostAgent__Driver"] = "Libvirt", ["HostAgent__HostId"] = "kvm-1", ["HostAgent__HeartbeatDirectory"] = Path.GetTempPath(),
        };
        await using (var plain = ServiceProcess.Start("HostAgent", basics))
        {
            Assert.NotEqual(0, await plain.WaitForExitAsync(Timeout));
            Assert.Contains("HostAgent:Tls: set CaFile, CertificateFile and KeyFile", plain.RecentOutput, StringComparison.Ordinal);
        }

        var wrongHost = new Dictionary<string, string>(basics);
        foreach (var (key, value) in _certificates.AgentSettings("kvm-2")) wrongHost[key] = value;
        await using var other = ServiceProcess.Start("HostAgent", wrongHost, https: true);
        Assert.NotEqual(0, await other.WaitForExitAsync(Timeout));
        Assert.Contains("the certificate of host kvm-2, but this agent serves host kvm-1", other.RecentOutput, StringComparison.Ordinal);
    }

    private async Task<ServiceProcess> StartAgentAsync(string servingCertificateOf, string hosts = "host-1")
    {
        var environment = _certificates.AgentSettings(servingCertificateOf);
        environment["Simulated__Hosts"] = hosts;
        var agent = ServiceProcess.Start("HostAgent", environment, $"agent-as-{servingCertificateOf}", https: true);
        await agent.WaitUntilReadyAsync(Timeout);
        return agent;
    }

    private static ServiceProvider AgentClientServices(Dictionary<string, string> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(settings.ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value))
                .Build())
            .AddHostAgentClient()
            .BuildServiceProvider();

    // Trusts any host certificate of the test CA (which host is the other tests' subject).
    private HttpClient AgentCaller(X509Certificate2? clientCertificate) => _certificates.HttpsClient(TimeSpan.FromSeconds(10), clientCertificate);

    private static X509Certificate2 Load((string Certificate, string Key) files) => CertificateFiles.LoadWithKey(files.Certificate, files.Key);
}
