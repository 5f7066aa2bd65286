using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Simulation;

namespace CloudBus.UnitTests.HostAgent;

public sealed class RunAuditTests : IDisposable
{
    private readonly SimulationRig _rig = new SimulationRig().WithHosts("h1", "h2", "h3");

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void The_same_vm_started_on_two_hosts_is_a_double_run()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        _rig.Driver.StartVm("h2", "vm-1", new VmSpec(2, 1, 512));
        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        _rig.Driver.StopVm("h1", "vm-1", force: true);

        var doubleRun = Assert.Single(_rig.Fleet.DoubleRuns());

        Assert.Equal("vm-1", doubleRun.VmId);
        Assert.Equal(("h1", 1L), (doubleRun.First.HostId, doubleRun.First.Incarnation));
        Assert.Equal(("h2", 2L), (doubleRun.Second.HostId, doubleRun.Second.Incarnation));
        Assert.Null(doubleRun.Second.EndedAt);
    }

    [Fact]
    public void Stop_then_start_elsewhere_is_not_a_double_run_even_at_the_same_instant()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        _rig.Driver.StopVm("h1", "vm-1", force: false);
        _rig.Driver.StartVm("h2", "vm-1", new VmSpec(2, 1, 512));
        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        _rig.Faults.PowerOff("h2");
        _rig.Driver.StartVm("h3", "vm-1", new VmSpec(3, 1, 512));

        Assert.Empty(_rig.Fleet.DoubleRuns());
        Assert.Equal(["h1", "h2", "h3"], _rig.Fleet.Intervals("vm-1").Select(i => i.HostId));
    }

    [Fact]
    public void Restarting_a_vm_on_the_same_host_is_not_a_double_run()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Faults.CrashVm("h1", "vm-1");
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(2, 1, 512));

        Assert.Empty(_rig.Fleet.DoubleRuns());
    }

    [Fact]
    public void Intervals_record_start_end_and_reason_and_can_be_filtered_by_vm()
    {
        var startedAt = _rig.Time.GetUtcNow();
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Driver.StartVm("h1", "vm-2", new VmSpec(1, 1, 512));
        _rig.Time.Advance(TimeSpan.FromSeconds(3));
        _rig.Driver.StopVm("h1", "vm-1", force: false);

        var interval = Assert.Single(_rig.Fleet.Intervals("vm-1"));

        Assert.Equal(
            new VmRunInterval("vm-1", "h1", 1, startedAt, startedAt.AddSeconds(3), VmRunEndReason.Stopped),
            interval);
        Assert.Equal(2, _rig.Fleet.Intervals().Count);
    }
}
