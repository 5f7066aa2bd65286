using CloudBus.Messages.Ha;
using CloudBus.Messages.Vms;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>
/// "May this VM be restarted, and what now?" Pure. A restart ends when the VM runs (whoever
/// started it), when there is nothing left to restart, or after the last attempt; until then a
/// start that did not make it run is tried again after the retry interval. A start refused
/// because the VM is Unknown is a wait, not an attempt: the VM was placed on a host that is now
/// out of reach, and VmLifecycle rightly starts it nowhere else until that host reports it or is
/// fenced. Either ends the wait (the host's own incident restarts the VM if the host is fenced), so
/// counting those refusals would only fail a restart that is about to become possible.
/// </summary>
public static class RestartPolicy
{
    private static readonly HashSet<VmState> AlreadyUp = [VmState.Running, VmState.Paused, VmState.Rebooting];
    private static readonly HashSet<VmState> Gone = [VmState.Destroying, VmState.Destroyed];

    /// <summary>A VM restarted this many times within the window is quarantined instead.</summary>
    public static bool Quarantines(int restartsInWindow, int quarantineAfter) => restartsInWindow >= quarantineAfter;

    /// <param name="attempts">Attempts so far that counted, this one included.</param>
    public static RestartStep AfterAttempt(StartAttempt attempt, int attempts, int maxAttempts, TimeSpan retryInterval, DateTimeOffset now)
    {
        switch (attempt.Outcome)
        {
            case VmCommandOutcome.Done:
                return new(RestartStatus.Running, null, $"running on {attempt.HostId} after {attempts} attempt(s)", attempt.HostId);
            case VmCommandOutcome.NotFound:
                return new(RestartStatus.Superseded, null, "the VM no longer exists");
            case VmCommandOutcome.Refused when attempt.State is { } state && AlreadyUp.Contains(state):
                return new(RestartStatus.Running, null, $"already {state} on {attempt.HostId} (started by someone else)", attempt.HostId);
            case VmCommandOutcome.Refused when attempt.State is { } state && Gone.Contains(state):
                return new(RestartStatus.Superseded, null, $"the VM is {state}");
            case VmCommandOutcome.Refused when attempt.State == VmState.Unknown:
                return new(RestartStatus.Retrying, now + retryInterval,
                    $"waiting: the VM is Unknown on {attempt.HostId ?? "its host"} until that host reports it or is fenced (not counted as an attempt)",
                    Waited: true);
        }
        // Anything else is tried again: a start refused because another is in progress (it may
        // yet fail), no capacity, a host that failed. The next attempt sees how that one ended.

        var why = $"attempt {attempts} of {maxAttempts}: {attempt.Outcome}: {attempt.Message}";
        return attempts >= maxAttempts
            ? new(RestartStatus.Failed, null, $"gave up after {attempts} attempts; last: {attempt.Outcome}: {attempt.Message}")
            : new(RestartStatus.Retrying, now + retryInterval, why);
    }
}
