using CloudBus.Messages.Vms;
using static CloudBus.Messages.Vms.VmState;
using static CloudBus.VmLifecycle.Domain.VmEvent;

namespace CloudBus.VmLifecycle.Domain;

/// <summary>
/// The VM state machine as one pure table. Every (state, event) pair not listed is refused with a
/// message naming the VM, the state and the event. Reports that only confirm the current state
/// are ignored rather than refused: sync repeats them all the time.
/// </summary>
public static class VmStateMachine
{
    private static readonly Dictionary<(VmState, VmEvent), VmState> Moves = new()
    {
        [(Created, Start)] = Starting,
        [(Created, Destroy)] = Destroying,

        [(Starting, StartSucceeded)] = Running,
        [(Starting, StartFailed)] = Stopped,
        // Unanswered is not failed: the VM may be running, so it keeps its host and capacity
        // until the host's report says Running or (after the grace period) Stopped.
        [(Starting, StartUnanswered)] = Unknown,
        [(Starting, ReportedRunning)] = Running,
        [(Starting, HostFenced)] = Stopped,

        [(Running, Stop)] = Stopping,
        [(Running, Reboot)] = Rebooting,
        [(Running, Migrate)] = Migrating,
        [(Running, Destroy)] = Destroying,
        [(Running, ReportedPaused)] = Paused,
        [(Running, ReportedStopped)] = Stopped,
        [(Running, HostFenced)] = Stopped,
        // Its host does not answer: it may run or not; it reads Unknown until the host answers
        // again (its report says Running) or is fenced (Stopped).
        [(Running, HostUnreachable)] = Unknown,

        [(Paused, Stop)] = Stopping,
        [(Paused, Destroy)] = Destroying,
        [(Paused, ReportedRunning)] = Running,
        [(Paused, ReportedStopped)] = Stopped,
        [(Paused, HostFenced)] = Stopped,
        [(Paused, HostUnreachable)] = Unknown,

        [(Stopping, StopSucceeded)] = Stopped,
        [(Stopping, OperationFailed)] = Running,
        [(Stopping, ReportedStopped)] = Stopped,
        [(Stopping, HostFenced)] = Stopped,

        [(Stopped, Start)] = Starting,
        [(Stopped, Destroy)] = Destroying,

        [(Rebooting, RebootSucceeded)] = Running,
        [(Rebooting, OperationFailed)] = Running,
        [(Rebooting, ReportedStopped)] = Stopped,
        [(Rebooting, HostFenced)] = Stopped,

        [(Migrating, MigrateSucceeded)] = Running,
        // Failed before the source stopped the VM: it still runs there.
        [(Migrating, OperationFailed)] = Running,
        // The source stopped it and the target refused or did not answer the start.
        [(Migrating, StartFailed)] = Stopped,
        [(Migrating, StartUnanswered)] = Unknown,
        [(Migrating, HostFenced)] = Stopped,

        [(Destroying, DestroySucceeded)] = Destroyed,
        // The host did not confirm the destroy: the VM may still run there, so it keeps its host.
        [(Destroying, OperationFailed)] = Unknown,
        // A destroy in flight when the management node restarted: the hypervisor reports the VM
        // stopped and nothing else will ever move it (the ZStack fix). Stopped lets a new destroy run.
        [(Destroying, ReportedStopped)] = Stopped,
        [(Destroying, HostFenced)] = Stopped,

        [(Unknown, ReportedRunning)] = Running,
        [(Unknown, ReportedPaused)] = Paused,
        [(Unknown, ReportedStopped)] = Stopped,
        [(Unknown, HostFenced)] = Stopped,
        [(Unknown, Destroy)] = Destroying,
    };

    /// <summary>
    /// Reports that are harmless where they arrive: they agree with the state, or they race an
    /// operation in flight that will settle the state itself (the skip-trace idea at the table level).
    /// </summary>
    private static readonly HashSet<(VmState, VmEvent)> Ignored =
    [
        (Running, ReportedRunning), (Paused, ReportedPaused), (Stopped, ReportedStopped),
        (Created, ReportedStopped), (Destroyed, ReportedStopped),
        (Starting, ReportedStopped), (Starting, ReportedPaused),
        (Stopping, ReportedRunning), (Stopping, ReportedPaused),
        (Rebooting, ReportedRunning), (Rebooting, ReportedPaused),
        (Migrating, ReportedRunning), (Migrating, ReportedPaused), (Migrating, ReportedStopped),
        (Destroying, ReportedRunning), (Destroying, ReportedPaused),
        (Stopped, HostFenced), (Created, HostFenced), (Destroyed, HostFenced),
        // Nothing running to doubt, or an operation in flight that settles the state itself.
        (Created, HostUnreachable), (Stopped, HostUnreachable), (Destroyed, HostUnreachable), (Unknown, HostUnreachable),
        (Starting, HostUnreachable), (Stopping, HostUnreachable), (Rebooting, HostUnreachable),
        (Migrating, HostUnreachable), (Destroying, HostUnreachable),
    ];

    public static VmTransition Decide(VmState state, VmEvent @event)
    {
        if (Moves.TryGetValue((state, @event), out var to)) return VmTransition.MoveTo(to);
        if (Ignored.Contains((state, @event))) return VmTransition.Stay(state);
        return VmTransition.Refuse(state, $"{@event} is not allowed while the VM is {state}");
    }
}
