using CloudBus.Messages.Vms;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>How one start of a VM ended, as VmLifecycle answered (or did not).</summary>
public sealed record StartAttempt(string Outcome, string Message, VmState? State, string? HostId)
{
    public static StartAttempt Unanswered(string why) => new("Unanswered", why, null, null);
}
