using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Simulation;

namespace CloudBus.UnitTests.HostAgent;

public sealed class StorageHeartbeatTests : IDisposable
{
    private readonly SimulationRig _rig = new SimulationRig().WithHosts("h1", "h2");

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Each_round_writes_a_heartbeat_with_the_next_sequence()
    {
        _rig.Heartbeats.Run();
        _rig.TickHeartbeat();

        var heartbeat = _rig.Storage.TryRead("h1");

        Assert.Equal(2, heartbeat!.Sequence);
        Assert.Equal(_rig.Time.GetUtcNow(), heartbeat.WrittenAt);
        Assert.Equal(["h1.heartbeat", "h2.heartbeat"],
            Directory.GetFiles(_rig.HeartbeatDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_isolated_host_does_not_self_fence_before_SelfFenceAfter()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Heartbeats.Run();
        _rig.Faults.Isolate("h1");

        _rig.Time.Advance(SimulationRig.SelfFenceAfter - TimeSpan.FromMilliseconds(1));
        _rig.Heartbeats.Run();

        Assert.Equal(1, _rig.Fleet.FindHost("h1")!.VmCount);
        Assert.Null(Assert.Single(_rig.Fleet.Intervals()).EndedAt);
    }

    [Fact]
    public void An_isolated_host_self_fences_once_SelfFenceAfter_has_passed_without_a_heartbeat()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Driver.StartVm("h2", "vm-2", new VmSpec(1, 1, 512));
        _rig.Heartbeats.Run();
        _rig.Faults.Isolate("h1");

        for (var elapsed = TimeSpan.Zero; elapsed < SimulationRig.SelfFenceAfter; elapsed += SimulationRig.HeartbeatInterval)
        {
            _rig.TickHeartbeat();
        }

        Assert.Equal(0, _rig.Fleet.FindHost("h1")!.VmCount);
        var fenced = Assert.Single(_rig.Fleet.Intervals("vm-1"));
        Assert.Equal(VmRunEndReason.SelfFenced, fenced.EndReason);
        Assert.Equal(_rig.Time.GetUtcNow(), fenced.EndedAt);
        Assert.Equal(1, _rig.Fleet.FindHost("h2")!.VmCount);
        Assert.Equal(1, _rig.Storage.TryRead("h1")!.Sequence);
    }

    [Fact]
    public void The_self_fence_check_between_rounds_fences_without_waiting_for_the_next_round()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Heartbeats.Run();
        _rig.Faults.Isolate("h1");

        _rig.Time.Advance(SimulationRig.SelfFenceAfter - TimeSpan.FromMilliseconds(500));
        _rig.Heartbeats.SelfFenceIfStale();
        Assert.Equal(1, _rig.Fleet.FindHost("h1")!.VmCount);

        _rig.Time.Advance(TimeSpan.FromMilliseconds(500));
        _rig.Heartbeats.SelfFenceIfStale();
        Assert.Equal(0, _rig.Fleet.FindHost("h1")!.VmCount);
        Assert.Equal(1, _rig.Storage.TryRead("h1")!.Sequence);
    }

    [Fact]
    public void A_host_cut_off_from_the_control_plane_keeps_its_heartbeat_advancing()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Faults.CutControlPlane("h1");

        for (var round = 0; round < 10; round++)
        {
            _rig.TickHeartbeat();
        }

        var heartbeat = _rig.Storage.TryRead("h1")!;
        Assert.Equal(10, heartbeat.Sequence);
        Assert.Equal(_rig.Time.GetUtcNow(), heartbeat.WrittenAt);
        Assert.Equal(1, _rig.Fleet.FindHost("h1")!.VmCount);
    }

    [Fact]
    public void A_powered_off_host_writes_no_heartbeat_and_resumes_after_power_on()
    {
        _rig.Heartbeats.Run();
        _rig.Faults.PowerOff("h1");
        _rig.TickHeartbeat();
        _rig.TickHeartbeat();

        Assert.Equal(1, _rig.Storage.TryRead("h1")!.Sequence);

        _rig.Faults.PowerOn("h1");
        _rig.TickHeartbeat();

        Assert.Equal(2, _rig.Storage.TryRead("h1")!.Sequence);
    }

    [Fact]
    public void A_neighbour_reads_the_sequence_and_age_of_a_heartbeat()
    {
        _rig.Heartbeats.Run();
        _rig.TickHeartbeat();
        var writtenAt = _rig.Time.GetUtcNow();
        _rig.Faults.PowerOff("h1");
        _rig.Time.Advance(TimeSpan.FromSeconds(7));

        var read = _rig.Driver.ReadNeighbourHeartbeat("h2", "h1");

        Assert.Equal(HostCallStatus.Answered, read.Status);
        Assert.Equal(new NeighbourHeartbeat("h1", 2, writtenAt, TimeSpan.FromSeconds(7), SimulationRig.SelfFenceAfter, Watchdog: true), read.Value);
    }

    [Fact]
    public void A_neighbour_reads_nothing_for_a_host_that_never_wrote_a_heartbeat()
    {
        var read = _rig.Driver.ReadNeighbourHeartbeat("h2", "never-written");

        Assert.Equal(HostCallStatus.Answered, read.Status);
        Assert.Null(read.Value);
    }

    [Fact]
    public void A_heartbeat_read_fails_when_the_neighbour_asked_is_unreachable()
    {
        _rig.Heartbeats.Run();
        _rig.Faults.CutControlPlane("h2");

        Assert.Equal(HostCallStatus.Unreachable, _rig.Driver.ReadNeighbourHeartbeat("h2", "h1").Status);
    }

    [Fact]
    public void A_heartbeat_written_by_another_agent_process_is_readable_and_its_sequence_carries_on()
    {
        _rig.Heartbeats.Run();
        _rig.TickHeartbeat();
        using var otherProcess = new SimulationRig(heartbeatDirectory: _rig.HeartbeatDirectory, time: _rig.Time).WithHosts("h9");

        Assert.Equal(2, otherProcess.Driver.ReadNeighbourHeartbeat("h9", "h1").Value!.Sequence);

        // The agent restarts: a new process serving h1 continues the sequence instead of going back to 1.
        using var restarted = new SimulationRig(heartbeatDirectory: _rig.HeartbeatDirectory, time: _rig.Time).WithHosts("h1");
        restarted.TickHeartbeat();

        Assert.Equal(3, otherProcess.Driver.ReadNeighbourHeartbeat("h9", "h1").Value!.Sequence);
    }

    [Fact]
    public void A_heartbeat_file_that_does_not_parse_counts_as_no_heartbeat()
    {
        Directory.CreateDirectory(_rig.HeartbeatDirectory);
        File.WriteAllText(Path.Combine(_rig.HeartbeatDirectory, "h1.heartbeat"), "{ torn");

        Assert.Null(_rig.Storage.TryRead("h1"));
    }
}
