using CloudBus.Messages.Ha;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.Messages.Vms;

namespace CloudBus.UnitTests.HaOrchestrator;

public sealed class RestartPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(10);

    private static RestartStep After(StartAttempt attempt, int attempts = 1, int max = 5) =>
        RestartPolicy.AfterAttempt(attempt, attempts, max, Retry, Now);

    [Fact]
    public void A_started_vm_is_running_on_the_host_that_took_it()
    {
        var step = After(new StartAttempt(VmCommandOutcome.Done, "", VmState.Running, "h7"));
        Assert.Equal(new RestartStep(RestartStatus.Running, null, "running on h7 after 1 attempt(s)", "h7"), step);
    }

    [Fact]
    public void No_capacity_is_retried_after_the_interval_until_the_last_attempt_then_fails_with_the_reason()
    {
        var noRoom = new StartAttempt(VmCommandOutcome.NoCapacity, "h1: 2 CPUs free, needs 4", VmState.Stopped, null);
        Assert.Equal(new RestartStep(RestartStatus.Retrying, Now + Retry, "attempt 4 of 5: NoCapacity: h1: 2 CPUs free, needs 4"), After(noRoom, attempts: 4));

        var last = After(noRoom, attempts: 5);
        Assert.Equal(RestartStatus.Failed, last.Status);
        Assert.Null(last.NextAttemptAt);
        Assert.Contains("gave up after 5 attempts", last.Message);
        Assert.Contains("2 CPUs free", last.Message);
    }

    [Fact]
    public void A_start_whose_host_failed_is_retried()
    {
        Assert.Equal(RestartStatus.Retrying, After(new StartAttempt(VmCommandOutcome.HostFailed, "start on h3 failed", VmState.Unknown, "h3")).Status);
    }

    [Theory]
    [InlineData(VmState.Running, RestartStatus.Running)]
    [InlineData(VmState.Rebooting, RestartStatus.Running)]
    // Another start in progress may yet fail: look again after the interval.
    [InlineData(VmState.Starting, RestartStatus.Retrying)]
    [InlineData(VmState.Destroyed, RestartStatus.Superseded)]
    [InlineData(VmState.Destroying, RestartStatus.Superseded)]
    public void A_refused_start_ends_the_restart_only_when_the_vm_is_up_or_gone(VmState state, RestartStatus expected)
    {
        Assert.Equal(expected, After(new StartAttempt(VmCommandOutcome.Refused, "illegal", state, "h2")).Status);
    }

    [Fact]
    public void A_start_refused_while_the_vm_is_unknown_waits_for_its_host_and_does_not_count_even_at_the_last_attempt()
    {
        var step = After(new StartAttempt(VmCommandOutcome.Refused, "Start is not allowed while the VM is Unknown", VmState.Unknown, "h2"), attempts: 5);
        Assert.Equal((RestartStatus.Retrying, Now + Retry, true), (step.Status, step.NextAttemptAt, step.Waited));
        Assert.Contains("Unknown on h2", step.Message);
    }

    [Fact]
    public void A_vm_that_no_longer_exists_needs_no_restart()
    {
        Assert.Equal(RestartStatus.Superseded, After(new StartAttempt(VmCommandOutcome.NotFound, "", null, null)).Status);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void A_vm_restarted_too_often_within_the_window_is_quarantined(int recent, bool quarantined) =>
        Assert.Equal(quarantined, RestartPolicy.Quarantines(recent, quarantineAfter: 3));
}
