using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloudBus.HostAgent.Hypervisor;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Libvirt;

/// <summary>The HostAgent process told to drive libvirt: one host, the control-plane API, and no back door.</summary>
public sealed class LibvirtAgentProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private LibvirtDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await LibvirtDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task An_agent_on_libvirt_serves_its_one_host_and_has_no_back_door()
    {
        // Held open so the test driver keeps the agent's domains between its connections.
        using var keeper = new LibvirtAgent(_daemon.TestUri);
        await using var agent = ServiceProcess.Start("HostAgent", new Dictionary<string, string>
        {
            ["HostAgent__Driver"] = "Libvirt", ["HostAgent__HostId"] = "kvm-7", ["HostAgent__LibvirtUri"] = _daemon.TestUri,
            ["HostAgent__HeartbeatDirectory"] = Path.Combine(_daemon.Directory, "shared"),
            // Plain http to call it simply here; mutual TLS is AgentMutualTlsTests' subject.
            ["HostAgent__Tls__AllowPlainHttp"] = "true",
        });
        await agent.WaitUntilReadyAsync(Timeout);
        using var http = new HttpClient { BaseAddress = agent.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        var ping = await http.GetFromJsonAsync<HostPing>("hosts/kvm-7/ping", Json.Options);
        Assert.Equal("kvm-7", ping!.HostId);
        using (var started = await http.PostAsJsonAsync("hosts/kvm-7/vms/vm-a/start", new { incarnation = 2, cpuCores = 1, memoryMib = 64 }))
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var report = await http.GetFromJsonAsync<HostVmReport>("hosts/kvm-7/vms", Json.Options);
        Assert.Equal(new VmReport("vm-a", VmPowerState.Running, 2, 1, 64, VmDevices.None), Assert.Single(report!.Vms));

        using (var other = await http.GetAsync("hosts/kvm-8/ping")) Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        var itself = await http.GetFromJsonAsync<JsonElement>($"hosts/kvm-7/neighbours/kvm-8/ping?address={Uri.EscapeDataString(agent.BaseAddress.ToString())}");
        Assert.True(itself.GetProperty("reachable").GetBoolean());
        using (var badAddress = await http.GetAsync("hosts/kvm-7/neighbours/kvm-8/ping?address=ftp%3A%2F%2Fkvm-8"))
            Assert.Equal(HttpStatusCode.BadRequest, badAddress.StatusCode);
        // The simulation's back door (power, faults, audit, fleet) does not exist here.
        foreach (var backDoor in new[] { "fleet/hosts", "audit/double-runs" })
        {
            using var response = await http.GetAsync(backDoor);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using (var power = await http.PostAsJsonAsync("hosts/kvm-7/faults/power-off", new { }))
            Assert.Equal(HttpStatusCode.NotFound, power.StatusCode);
    }

    [Theory]
    [InlineData("Driver=Hyperv", "HostAgent:Driver must be Simulated or Libvirt, not 'Hyperv'")]
    [InlineData("Driver=Libvirt;HeartbeatDirectory=/tmp", "HostAgent:HostId is required with the Libvirt driver")]
    [InlineData("Driver=Libvirt;HostId=kvm-1", "HostAgent:HeartbeatDirectory is required with the Libvirt driver")]
    [InlineData("Driver=Libvirt;HostId=kvm-1;HeartbeatDirectory=/tmp;SelfFenceAfter=00:00:01;HeartbeatInterval=00:00:02",
        "HostAgent:SelfFenceAfter (00:00:01) must be longer than HostAgent:HeartbeatInterval (00:00:02)")]
    public async Task An_agent_misconfigured_refuses_to_start_and_says_why(string settings, string message)
    {
        var environment = settings.Split(';').Select(setting => setting.Split('='))
            .ToDictionary(pair => $"HostAgent__{pair[0]}", pair => pair[1]);
        environment["HostAgent__Tls__AllowPlainHttp"] = "true";
        await using var agent = ServiceProcess.Start("HostAgent", environment);

        Assert.NotEqual(0, await agent.WaitForExitAsync(Timeout));
        Assert.Contains(message, agent.RecentOutput);
    }
}
