using CloudBus.AgentClient;
using CloudBus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.IntegrationTests.Security;

/// <summary>`cloudbus certs` as the README tells operators to use it: the files it writes are what a real agent and service accept.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are POSIX
public sealed class CertificateCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("cloudbus-certs-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_ca_and_the_certificates_it_issues_let_a_service_call_its_host_and_are_never_overwritten()
    {
        await SucceedsAsync("certs", "init", "--dir", _directory);
        await SucceedsAsync("certs", "host", "kvm-1", "--dir", _directory, "--address", "127.0.0.1", "--address", "kvm-1.lab");
        await SucceedsAsync("certs", "service", "HostMonitor", "--dir", _directory);
        foreach (var key in new[] { "ca.key", "host-kvm-1.key", "service-HostMonitor.key" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, key)));

        var caBefore = await File.ReadAllTextAsync(Path.Combine(_directory, "ca.crt"));
        var again = await CliProcess.RunAsync("certs", "init", "--dir", _directory);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal(caBefore, await File.ReadAllTextAsync(Path.Combine(_directory, "ca.crt")));
        var badId = await CliProcess.RunAsync("certs", "host", "../etc", "--dir", _directory);
        Assert.NotEqual(0, badId.ExitCode);
        Assert.Contains("letters, digits", badId.Error, StringComparison.Ordinal);

        await using var agent = ServiceProcess.Start("HostAgent", new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = "kvm-1",
            ["HostAgent__Tls__CaFile"] = Path.Combine(_directory, "ca.crt"),
            ["HostAgent__Tls__CertificateFile"] = Path.Combine(_directory, "host-kvm-1.crt"),
            ["HostAgent__Tls__KeyFile"] = Path.Combine(_directory, "host-kvm-1.key"),
        }, https: true);
        await agent.WaitUntilReadyAsync(Timeout);
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AgentClient:CaFile"] = Path.Combine(_directory, "ca.crt"),
                ["AgentClient:CertificateFile"] = Path.Combine(_directory, "service-HostMonitor.crt"),
                ["AgentClient:KeyFile"] = Path.Combine(_directory, "service-HostMonitor.key"),
            }).Build())
            .AddHostAgentClient()
            .BuildServiceProvider();
        using var deadline = new CancellationTokenSource(Timeout);

        var ping = await services.GetRequiredService<HostAgentClient>().PingAsync([agent.BaseAddress], "kvm-1", deadline.Token);

        Assert.Equal("kvm-1", ping.HostId);
    }

    private static async Task SucceedsAsync(params string[] arguments)
    {
        var result = await CliProcess.RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"cloudbus {string.Join(' ', arguments)}: {result.Error}");
    }
}
