using CloudBus.HostAgent.Simulation;
using CloudBus.HostAgent.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.HostAgent;

/// <summary>A simulated fleet on a fake clock with its own temporary heartbeat folder.</summary>
internal sealed class SimulationRig : IDisposable
{
    public static readonly TimeSpan SelfFenceAfter = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    public SimulationRig(int seed = 7, string? heartbeatDirectory = null, FakeTimeProvider? time = null)
    {
        HeartbeatDirectory = heartbeatDirectory
            ?? Path.Combine(Path.GetTempPath(), "cloudbus-hostagent-tests", Guid.NewGuid().ToString("N"));
        OwnsDirectory = heartbeatDirectory is null;
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new SimulatedOptions
        {
            HeartbeatDirectory = HeartbeatDirectory,
            HeartbeatInterval = HeartbeatInterval,
            SelfFenceAfter = SelfFenceAfter,
        });

        Storage = new HeartbeatStore(HeartbeatDirectory);
        Fleet = new SimulatedFleet(Time, new Random(seed), NullLogger<SimulatedFleet>.Instance);
        Driver = new SimulatedDriver(Fleet, Storage, NullLogger<SimulatedDriver>.Instance);
        Faults = new FaultInjector(Fleet, NullLogger<FaultInjector>.Instance);
        Heartbeats = new HeartbeatRound(Fleet, Storage, options, NullLogger<HeartbeatRound>.Instance);
    }

    public string HeartbeatDirectory { get; }

    public FakeTimeProvider Time { get; }

    public HeartbeatStore Storage { get; }

    public SimulatedFleet Fleet { get; }

    public SimulatedDriver Driver { get; }

    public FaultInjector Faults { get; }

    public HeartbeatRound Heartbeats { get; }

    private bool OwnsDirectory { get; }

    public SimulationRig WithHosts(params string[] hostIds)
    {
        foreach (var hostId in hostIds)
        {
            Fleet.AddHost(new HostShape(hostId, "cluster-a", CpuCores: 16, MemoryMib: 32768));
        }

        return this;
    }

    /// <summary>Advances the clock one heartbeat interval and runs a heartbeat round, as the background service would.</summary>
    public void TickHeartbeat()
    {
        Time.Advance(HeartbeatInterval);
        Heartbeats.Run();
    }

    public void Dispose()
    {
        if (OwnsDirectory && Directory.Exists(HeartbeatDirectory))
        {
            Directory.Delete(HeartbeatDirectory, recursive: true);
        }
    }
}
