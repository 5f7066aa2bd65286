using CloudBus.Messages.Vms;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>
/// "May this VM be restarted, and what now?" Pure. A restart ends when the VM runs (whoever
/// started it), when there is nothing left to restart, or after the last attempt; until then a
/// failed start is tried again after the retry interval.
/// </summary>
public static class RestartPolicy
{
    private static readonly HashSet<VmState> AlreadyUp = [VmState.Running, VmState.Paused, VmState.Rebooting];
    private static readonly HashSet<VmState> Gone = [VmState.Destroying, VmState.Destroyed];

    /// <summary>A VM restarted this many times within the window is quarantined instead.</summary>
    public static bool Quarantines(int restartsInWindow, int quarantineAfter) => restartsInWindow >= quarantineAfter;

    public static RestartStep AfterAttempt(StartAttempt attempt, int attempts, int maxAttempts, TimeSpan retryInterval, DateTimeOffset now)
    {
        switch (attempt.Outcome)
        {
            case "Done":
                return new(RestartStatus.Running, null, $"running on {attempt.HostId} after {attempts} attempt(s)", attempt.HostId);
            case "NotFound":
                return new(RestartStatus.Superseded, null, "the VM no longer exists");
            case "Refused" when attempt.State is { } state && AlreadyUp.Contains(state):
                return new(RestartStatus.Running, null, $"already {state} on {attempt.HostId} (started by someone else)", attempt.HostId);
            case "Refused" when attempt.State is { } state && Gone.Contains(state):
                return new(RestartStatus.Superseded, null, $"the VM is {state}");
            case "Refused" when attempt.State == VmState.Starting:
                return new(RestartStatus.Superseded, null, $"another start of the VM is in progress on {attempt.HostId}");
        }

        var why = $"attempt {attempts} of {maxAttempts}: {attempt.Outcome}: {attempt.Message}";
        return attempts >= maxAttempts
            ? new(RestartStatus.Failed, null, $"gave up after {attempts} attempts; last: {attempt.Outcome}: {attempt.Message}")
            : new(RestartStatus.Retrying, now + retryInterval, why);
    }
}
