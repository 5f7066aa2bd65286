using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Simulation;

namespace CloudBus.UnitTests.HostAgent;

public sealed class FaultInjectionTests : IDisposable
{
    private readonly SimulationRig _rig = new SimulationRig().WithHosts("h1", "h2");

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Power_off_kills_every_vm_at_once_and_closes_their_audit_intervals()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Driver.StartVm("h1", "vm-2", new VmSpec(1, 1, 512));
        _rig.Time.Advance(TimeSpan.FromSeconds(30));

        var view = _rig.Faults.PowerOff("h1");

        Assert.False(view!.PoweredOn);
        Assert.Equal(0, view.VmCount);
        Assert.All(_rig.Fleet.Intervals(), interval =>
        {
            Assert.Equal(_rig.Time.GetUtcNow(), interval.EndedAt);
            Assert.Equal(VmRunEndReason.PowerOff, interval.EndReason);
        });
        Assert.Equal(HostCallStatus.Unreachable, _rig.Driver.Ping("h1").Status);
        Assert.Equal(HostCallStatus.Unreachable, _rig.Driver.ListVms("h1").Status);
    }

    [Fact]
    public void Power_on_boots_with_no_vms_and_a_new_boot_id()
    {
        var bootBefore = _rig.Driver.Ping("h1").Value!.BootId;
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));

        _rig.Faults.PowerOff("h1");
        _rig.Faults.PowerOn("h1");

        var ping = _rig.Driver.Ping("h1");
        Assert.Equal(HostCallStatus.Answered, ping.Status);
        Assert.NotEqual(bootBefore, ping.Value!.BootId);
        Assert.Empty(_rig.Driver.ListVms("h1").Value!.Vms);
    }

    [Fact]
    public void Powering_on_a_running_host_changes_nothing()
    {
        var bootBefore = _rig.Driver.Ping("h1").Value!.BootId;

        _rig.Faults.SetPower("h1", on: true);

        Assert.Equal(bootBefore, _rig.Driver.Ping("h1").Value!.BootId);
    }

    [Fact]
    public void A_cut_off_host_does_nothing_it_is_asked_but_keeps_its_vms()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));
        _rig.Faults.CutControlPlane("h1");

        var start = _rig.Driver.StartVm("h1", "vm-2", new VmSpec(1, 1, 512));
        var stop = _rig.Driver.StopVm("h1", "vm-1", force: true);

        Assert.Equal(HostCallStatus.Unreachable, start.Status);
        Assert.Equal(HostCallStatus.Unreachable, stop.Status);
        Assert.Equal(1, _rig.Fleet.FindHost("h1")!.VmCount);
        Assert.Equal(["vm-1"], _rig.Fleet.Intervals().Select(i => i.VmId));
    }

    [Fact]
    public void Heal_clears_network_faults_but_not_power()
    {
        _rig.Faults.CutControlPlane("h1");
        _rig.Faults.Isolate("h1");
        _rig.Faults.Slow("h1", 250);
        _rig.Faults.Flaky("h1", 0.5);
        _rig.Faults.PowerOff("h1");

        var view = _rig.Faults.Heal("h1");

        Assert.Equal(HostFaults.None, view!.Faults);
        Assert.False(view.PoweredOn);
    }

    [Fact]
    public void A_crashed_vm_disappears_from_its_host()
    {
        _rig.Driver.StartVm("h1", "vm-1", new VmSpec(1, 1, 512));

        Assert.Equal(CrashVmOutcome.Crashed, _rig.Faults.CrashVm("h1", "vm-1"));
        Assert.Equal(CrashVmOutcome.VmNotOnHost, _rig.Faults.CrashVm("h1", "vm-1"));
        Assert.Empty(_rig.Driver.ListVms("h1").Value!.Vms);
        Assert.Equal(VmRunEndReason.Crashed, Assert.Single(_rig.Fleet.Intervals()).EndReason);
    }

    [Fact]
    public void A_slow_host_answers_after_its_delay()
    {
        _rig.Faults.Slow("h1", 1500);

        var ping = _rig.Driver.Ping("h1");

        Assert.Equal(HostCallStatus.Answered, ping.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ping.ResponseDelay);
    }

    [Fact]
    public void A_flaky_host_with_rate_one_fails_every_request()
    {
        _rig.Faults.Flaky("h1", 1.0);

        var calls = Enumerable.Range(0, 200).Select(i => _rig.Driver.StartVm("h1", $"vm-{i}", new VmSpec(1, 1, 1)).Status);

        Assert.All(calls, status => Assert.Equal(HostCallStatus.Unreachable, status));
        Assert.Empty(_rig.Fleet.Intervals());
    }

    [Fact]
    public void A_flaky_host_with_rate_zero_fails_no_request()
    {
        _rig.Faults.Flaky("h1", 0.0);

        var calls = Enumerable.Range(0, 200).Select(_ => _rig.Driver.Ping("h1").Status);

        Assert.All(calls, status => Assert.Equal(HostCallStatus.Answered, status));
    }

    [Fact]
    public void A_flaky_host_with_a_seeded_random_fails_about_its_rate()
    {
        _rig.Faults.Flaky("h1", 0.3);

        var failures = Enumerable.Range(0, 1000).Count(_ => _rig.Driver.Ping("h1").Status == HostCallStatus.Unreachable);

        Assert.InRange(failures, 230, 370);
    }

    [Fact]
    public void Faults_on_one_host_leave_the_others_alone()
    {
        _rig.Faults.Isolate("h1");

        Assert.Equal(HostCallStatus.Answered, _rig.Driver.Ping("h2").Status);
    }

    [Fact]
    public void Flaky_rejects_a_rate_outside_zero_to_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _rig.Faults.Flaky("h1", 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => _rig.Faults.Flaky("h1", double.NaN));
    }
}
