using CloudBus.Messages.Vms;
using static CloudBus.VmLifecycle.Domain.VmEvent;

namespace CloudBus.VmLifecycle.Operations.Settlement;

/// <summary>
/// How to end an operation whose VmLifecycle instance died mid-way, from what the VM's host says
/// now. Pure. What the host runs is settled at once. That it does not run the VM is trusted only
/// once the operation is quiet, older than the longest its instance could still have had a call
/// to the host in flight: a start sent just before the instance died could still land.
/// Until then, and while the host does not answer, it waits (null), except where the host's
/// silence itself decides (a start then leaves the VM Unknown, which sync or HA settles later).
/// </summary>
public static class SettlementRules
{
    /// <param name="moved">For a migration: whether the VM was already moved to its target (it is at its new incarnation there).</param>
    public static Settlement? Decide(VmState state, HostAnswer host, bool quiet, bool moved = false) => (state, host) switch
    {
        (VmState.Starting, HostAnswer.Running) => new(ReportedRunning, VmCommandOutcome.Done, "it runs on its host"),
        (VmState.Starting, HostAnswer.NotRunning) when quiet => new(StartFailed, VmCommandOutcome.HostFailed, "its host does not run it"),
        (VmState.Starting, HostAnswer.Unreachable) when quiet => new(StartUnanswered, VmCommandOutcome.HostFailed, "its host does not answer; it may run there"),

        (VmState.Stopping, HostAnswer.NotRunning) => new(StopSucceeded, VmCommandOutcome.Done, "its host no longer runs it"),
        (VmState.Stopping, HostAnswer.Running) when quiet => new(OperationFailed, VmCommandOutcome.HostFailed, "its host still runs it"),
        (VmState.Stopping, HostAnswer.Unreachable) when quiet => new(OperationFailed, VmCommandOutcome.HostFailed, "its host does not answer; still considered running there"),

        (VmState.Rebooting, HostAnswer.Running) => new(RebootSucceeded, VmCommandOutcome.Done, "it runs on its host"),
        (VmState.Rebooting, HostAnswer.NotRunning) when quiet => new(ReportedStopped, VmCommandOutcome.HostFailed, "its host does not run it"),
        (VmState.Rebooting, HostAnswer.Unreachable) when quiet => new(OperationFailed, VmCommandOutcome.HostFailed, "its host does not answer; still considered running there"),

        (VmState.Migrating, HostAnswer.Running) => moved
            ? new(MigrateSucceeded, VmCommandOutcome.Done, "it runs on its target")
            : new(OperationFailed, VmCommandOutcome.HostFailed, "it still runs on its source; it was not migrated"),
        (VmState.Migrating, HostAnswer.NotRunning) when quiet => new(StartFailed, VmCommandOutcome.HostFailed, "it runs on neither host"),
        (VmState.Migrating, HostAnswer.Unreachable) when quiet => new(StartUnanswered, VmCommandOutcome.HostFailed, "its host does not answer; it may run there"),

        (VmState.Destroying, HostAnswer.NotRunning or HostAnswer.NoHost) => new(DestroySucceeded, VmCommandOutcome.Done, "its host does not run it"),
        (VmState.Destroying, HostAnswer.Running) when quiet => new(OperationFailed, VmCommandOutcome.HostFailed, "its host still runs it; destroy it again"),
        (VmState.Destroying, HostAnswer.Unreachable) when quiet => new(OperationFailed, VmCommandOutcome.HostFailed, "its host does not answer; it may run there"),

        // Out of its transitional state already (a fence, a report, or the operation's own end
        // that did not record the journal): only the operation is left to close.
        (not (VmState.Starting or VmState.Stopping or VmState.Rebooting or VmState.Migrating or VmState.Destroying), _) =>
            new(null, VmCommandOutcome.HostFailed, $"it is {state}"),
        _ => null,
    };
}
