using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.UnitTests.HostAgent;

public sealed class VmOnHostTests : IDisposable
{
    private readonly SimulationRig _rig = new SimulationRig().WithHosts("h1");

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Started_vm_is_listed_as_running_with_its_incarnation()
    {
        var start = _rig.Driver.StartVm("h1", "vm-1", new VmSpec(Incarnation: 3, CpuCores: 2, MemoryMib: 2048));

        Assert.Equal(HostCallStatus.Answered, start.Status);
        Assert.Equal(StartVmOutcome.Started, start.Value!.Outcome);
        var listed = Assert.Single(_rig.Driver.ListVms("h1").Value!.Vms);
        Assert.Equal(new VmReport("vm-1", VmPowerState.Running, 3, 2, 2048, VmDevices.None), listed);
    }

    [Fact]
    public void Starting_again_with_the_same_incarnation_is_idempotent()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(3, 2, 2048));

        var again = _rig.Driver.StartVm("h1", "vm-1", new VmSpec(3, 2, 2048));

        Assert.Equal(StartVmOutcome.AlreadyRunning, again.Value!.Outcome);
        Assert.True(again.Value.IsRunning);
        Assert.Single(_rig.Fleet.Intervals("vm-1"));
    }

    [Fact]
    public void Starting_with_another_incarnation_conflicts_and_keeps_the_running_one()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(3, 2, 2048));

        var conflict = _rig.Driver.StartVm("h1", "vm-1", new VmSpec(4, 2, 2048));

        Assert.Equal(StartVmOutcome.IncarnationConflict, conflict.Value!.Outcome);
        Assert.Equal(3, conflict.Value.Incarnation);
        Assert.Contains("incarnation 3", conflict.Value.Message, StringComparison.Ordinal);
        Assert.Equal(3, Assert.Single(_rig.Driver.ListVms("h1").Value!.Vms).Incarnation);
    }

    [Fact]
    public void Start_beyond_free_capacity_is_refused_with_a_message()
    {
        _rig.Driver.StartVm("h1", "big", new VmSpec(1, CpuCores: 12, MemoryMib: 16384));

        var tooMuchCpu = _rig.Driver.StartVm("h1", "cpu-hungry", new VmSpec(1, CpuCores: 5, MemoryMib: 1024));
        var tooMuchMemory = _rig.Driver.StartVm("h1", "memory-hungry", new VmSpec(1, CpuCores: 1, MemoryMib: 16385));
        var fits = _rig.Driver.StartVm("h1", "fits", new VmSpec(1, CpuCores: 4, MemoryMib: 16384));

        Assert.Equal(StartVmOutcome.InsufficientCapacity, tooMuchCpu.Value!.Outcome);
        Assert.Contains("4 free CPU cores", tooMuchCpu.Value.Message, StringComparison.Ordinal);
        Assert.Equal(StartVmOutcome.InsufficientCapacity, tooMuchMemory.Value!.Outcome);
        Assert.Equal(StartVmOutcome.Started, fits.Value!.Outcome);
        Assert.Equal(2, _rig.Driver.ListVms("h1").Value!.Vms.Count);
    }

    [Fact]
    public void Stopping_frees_capacity_and_is_idempotent()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, CpuCores: 16, MemoryMib: 1024));

        var stop = _rig.Driver.StopVm("h1", "vm-1", force: false);
        var stopAgain = _rig.Driver.StopVm("h1", "vm-1", force: true);
        var next = _rig.Driver.StartVm("h1", "vm-2", new VmSpec(1, CpuCores: 16, MemoryMib: 1024));

        Assert.True(stop.Value!.WasRunning);
        Assert.Equal(HostCallStatus.Answered, stopAgain.Status);
        Assert.False(stopAgain.Value!.WasRunning);
        Assert.Equal(StartVmOutcome.Started, next.Value!.Outcome);
    }

    [Fact]
    public void Destroy_removes_the_vm_and_records_why()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));

        _rig.Driver.DestroyVm("h1", "vm-1");

        Assert.Empty(_rig.Driver.ListVms("h1").Value!.Vms);
        Assert.Equal(CloudBus.HostAgent.Simulation.VmRunEndReason.Destroyed, Assert.Single(_rig.Fleet.Intervals("vm-1")).EndReason);
    }

    [Fact]
    public void Requests_for_a_host_not_in_the_fleet_report_an_unknown_host()
    {
        Assert.Equal(HostCallStatus.UnknownHost, _rig.Driver.Ping("nope").Status);
        Assert.Equal(HostCallStatus.UnknownHost, _rig.Driver.StartVm("nope", "vm-1", new VmSpec(1, 1, 1)).Status);
        Assert.Null(_rig.Faults.Isolate("nope"));
    }

    [Fact]
    public void Ping_answers_with_the_host_id_boot_id_and_current_time()
    {
        var ping = _rig.Driver.Ping("h1");

        Assert.Equal("h1", ping.Value!.HostId);
        Assert.NotEqual(Guid.Empty, ping.Value.BootId);
        Assert.Equal(_rig.Time.GetUtcNow(), ping.Value.At);
    }
}
