using CloudBus.Bench.Chaos;

namespace CloudBus.UnitTests.Bench;

public sealed class RestartTimesTests
{
    private static readonly DateTimeOffset Fault = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static RunInterval Run(string vm, string host, double from, double? to = null, string? reason = null) =>
        new(vm, host, Fault.AddSeconds(from), to is { } end ? Fault.AddSeconds(end) : null, reason);

    [Fact]
    public void A_failure_takes_until_the_last_of_its_vms_runs_on_another_host()
    {
        var failure = new HostFailure("h1", HostFaultKind.PowerOff, Fault);
        RunInterval[] audit =
        [
            Run("vm-1", "h1", -60, 0, "PowerOff"), Run("vm-1", "h2", 10),
            Run("vm-2", "h1", -60, 0, "PowerOff"), Run("vm-2", "h3", 14),
            Run("vm-3", "h2", -60), // never on the failed host
        ];

        Assert.Equal([14.0], RestartTimes.Measure([failure], audit));
    }

    [Fact]
    public void An_isolated_host_counts_from_the_fault_not_from_its_self_fence()
    {
        var failure = new HostFailure("h1", HostFaultKind.Isolate, Fault);
        RunInterval[] audit = [Run("vm-1", "h1", -60, 8, "SelfFenced"), Run("vm-1", "h2", 20)];

        Assert.Equal([20.0], RestartTimes.Measure([failure], audit));
    }

    [Fact]
    public void A_vm_that_never_ran_again_elsewhere_leaves_its_failure_without_a_time()
    {
        var failure = new HostFailure("h1", HostFaultKind.PowerOff, Fault);
        RunInterval[] audit =
        [
            Run("vm-1", "h1", -60, 0, "PowerOff"), Run("vm-1", "h2", 10),
            Run("vm-2", "h1", -60, 0, "PowerOff"), Run("vm-2", "h1", 90), // back on its own host once it healed: not a restart elsewhere
        ];

        Assert.Empty(RestartTimes.Measure([failure], audit));
    }

    [Fact]
    public void A_cut_off_host_and_a_host_without_vms_have_no_time()
    {
        HostFailure[] failures = [new("h1", HostFaultKind.CutControlPlane, Fault), new("h2", HostFaultKind.PowerOff, Fault)];
        RunInterval[] audit = [Run("vm-1", "h1", -60)];

        Assert.Empty(RestartTimes.Measure(failures, audit));
    }

    [Fact]
    public void The_same_host_failing_twice_is_measured_from_each_fault_with_the_vms_it_ran_then()
    {
        HostFailure[] failures = [new("h1", HostFaultKind.PowerOff, Fault), new("h1", HostFaultKind.PowerOff, Fault.AddSeconds(100))];
        RunInterval[] audit =
        [
            Run("vm-1", "h1", -60, 0, "PowerOff"), Run("vm-1", "h2", 12),
            Run("vm-2", "h2", -60, 50, "Stopped"), Run("vm-2", "h1", 60, 100, "PowerOff"), Run("vm-2", "h3", 109),
        ];

        Assert.Equal([12.0, 9.0], RestartTimes.Measure(failures, audit));
    }
}
