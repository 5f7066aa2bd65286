using System.Net.Http.Json;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Fencing;

/// <summary>
/// A simulated fleet (one HostAgent process, no control plane: BMCs need none) with a simulated
/// BMC for every host.
/// </summary>
public sealed class FleetWithBmcs : IAsyncLifetime
{
    private readonly string _heartbeatDirectory = Path.Combine(Path.GetTempPath(), "cloudbus-test-hb-" + Guid.NewGuid().ToString("N")[..8]);

    public IReadOnlyList<string> HostIds { get; } = ["host-1", "host-2", "host-3", "host-4"];
    public ServiceProcess Agent { get; private set; } = null!;
    /// <summary>The agent's back door, where the BMCs' chassis hook switches the hosts' power.</summary>
    public Uri BackDoor { get; } = new($"http://127.0.0.1:{FreePort.Next()}/");
    public SimulatedBmcs Bmcs { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task InitializeAsync()
    {
        Agent = ServiceProcess.Start("HostAgent", new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = string.Join(',', HostIds),
            ["Simulated__HeartbeatDirectory"] = _heartbeatDirectory,
            ["Simulated__BackDoorPort"] = BackDoor.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            await Agent.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            Bmcs = await SimulatedBmcs.StartAsync(BackDoor, HostIds);
        }
        catch
        {
            // xunit does not dispose a fixture that failed to start: leave no agent behind.
            await Agent.DisposeAsync();
            throw;
        }
    }

    /// <summary>The host's power as the agent's back door reports it (the truth, whatever the BMC says).</summary>
    public async Task<bool> IsPoweredOnAsync(string hostId) =>
        (await Http.GetFromJsonAsync<PowerReply>(new Uri(BackDoor, $"hosts/{hostId}/power"), Json.Options))!.On;

    public async Task DisposeAsync()
    {
        await Bmcs.DisposeAsync();
        await Agent.DisposeAsync();
        if (Directory.Exists(_heartbeatDirectory)) Directory.Delete(_heartbeatDirectory, recursive: true);
        Http.Dispose();
    }

    public sealed record PowerReply(bool On);
}
