using CloudBus.Messages.Vms;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>How one start of a VM ended, as VmLifecycle announced it.</summary>
public sealed record StartAttempt(VmCommandOutcome Outcome, string Message, VmState? State, string? HostId)
{
    public static StartAttempt From(VmCommandCompleted completed) => new(completed.Outcome, completed.Message, completed.State, completed.HostId);
}
