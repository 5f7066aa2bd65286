using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.VmLifecycle.Placement;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// The one place where a VM's state changes: lock the row, ask the state machine, write the new
/// state (releasing the host's capacity when the VM stops holding it) and its announcements, and
/// commit them together. An operation begins here (the VM enters its transitional state, the
/// operation is journaled with its instance, sync is told to skip the VM) and ends here (the VM
/// leaves it, the journal has the outcome, sync may trace the VM again, and whoever asked hears
/// how it ended), each in one transaction.
/// </summary>
public sealed class VmTransitions(UnitsOfWork units, HostReservations reservations, TimeProvider clock)
{
    /// <summary>States in which a VM holds no capacity on any host (Unknown keeps it: the VM may run).</summary>
    private static readonly HashSet<VmState> HoldsNoHost = [VmState.Created, VmState.Stopped, VmState.Destroyed];

    /// <summary>An event that is not part of an operation (a host's report, a fence), in its own transaction.</summary>
    public async Task<VmOperationResult> ApplyAsync(
        Guid vmId, VmEvent @event, string reason, long? expectedIncarnation = null, string? expectedHostId = null, CancellationToken cancellationToken = default)
    {
        await using var work = await units.BeginAsync(cancellationToken);
        var result = await ApplyAsync(work, vmId, @event, reason, expectedIncarnation, expectedHostId);
        await work.CommitAsync(cancellationToken);
        return result;
    }

    /// <param name="expectedIncarnation">When set, the event is about this run of the VM only; a
    /// report about an older run (or another host) is ignored.</param>
    public async Task<VmOperationResult> ApplyAsync(
        UnitOfWork work, Guid vmId, VmEvent @event, string reason, long? expectedIncarnation = null, string? expectedHostId = null)
    {
        var vm = await VmStore.LockAsync(work, vmId);
        if (vm is null) return VmOperationResult.NotFound(vmId);
        if (expectedIncarnation is { } incarnation && incarnation != vm.Incarnation)
            return VmOperationResult.Refused(vm, $"{@event} concerns incarnation {incarnation}, the VM is at {vm.Incarnation}");
        if (expectedHostId is not null && expectedHostId != vm.HostId)
            return VmOperationResult.Refused(vm, $"{@event} comes from host {expectedHostId}, the VM is on {vm.HostId ?? "no host"}");
        return await ApplyToLockedAsync(work, vm, @event, reason);
    }

    /// <summary>Applies an event to a VM locked in <paramref name="work"/>; an operation in flight on it stays in flight.</summary>
    public Task<VmOperationResult> ApplyToLockedAsync(UnitOfWork work, VmRecord vm, VmEvent @event, string reason) =>
        TransitionAsync(work, vm, @event, reason, vm.OperationId);

    /// <summary>Begins <paramref name="operation"/>: the VM enters the state <paramref name="event"/> leads to.</summary>
    /// <returns>Done when begun; the refusal (recorded and announced as the operation's end) when not; null when a
    /// concurrent request with the same operation id began it first.</returns>
    public Task<VmOperationResult?> BeginAsync(VmOperation operation, VmEvent @event, string reason, CancellationToken cancellationToken) =>
        BeginAsync(operation, @event, reason, placement: null, cancellationToken);

    /// <summary>Begins a start: the VM is placed (capacity reserved on the chosen host) and becomes Starting there with a new incarnation.</summary>
    /// <returns>As <see cref="BeginAsync(VmOperation, VmEvent, string, CancellationToken)"/>.</returns>
    public Task<VmOperationResult?> BeginStartAsync(VmOperation operation, PlacementRequest placement, CancellationToken cancellationToken) =>
        BeginAsync(operation, VmEvent.Start, "start requested", placement, cancellationToken);

    /// <summary>
    /// Ends <paramref name="operation"/> with <paramref name="event"/>, and its outcome as
    /// <paramref name="outcome"/> makes it from the VM afterwards. If another instance settled the
    /// operation meanwhile (this one was taken for dead), nothing is written: that one announced the end.
    /// </summary>
    public async Task<VmOperationResult> EndAsync(VmOperation operation, VmEvent @event, string reason, Func<VmRecord, VmOperationResult> outcome)
    {
        // Not cancellable: the host has acted; abandoning the record of it now would leave the VM in flight.
        await using var work = await units.BeginAsync(CancellationToken.None);
        var vm = await VmStore.LockAsync(work, operation.VmId);
        if (vm is null) return VmOperationResult.NotFound(operation.VmId);
        if (vm.OperationId != operation.OperationId)
            return VmOperationResult.Refused(vm, $"operation {operation.OperationId} ({operation.Kind.InWords()}) was settled by another instance meanwhile");

        var applied = await TransitionAsync(work, vm, @event, reason, operationAfter: null);
        var result = applied.Outcome == VmCommandOutcome.Refused
            ? VmOperationResult.Refused(applied.Vm!, $"{reason}, but the VM changed meanwhile: {applied.Message}")
            : outcome(applied.Vm!);
        await AnnounceEndAsync(work, operation, result);
        await work.CommitAsync(CancellationToken.None);
        return result;
    }

    /// <summary>
    /// Settles an operation whose instance died: the VM leaves its transitional state by
    /// <paramref name="event"/> (none when it already left it), the capacity a migration reserved
    /// on a target it never reached is given back, and the end is announced as the operation's own.
    /// </summary>
    /// <returns>Null when the operation had already ended (another instance settled it, or its own finished).</returns>
    public async Task<VmOperationResult?> SettleAsync(JournaledOperation journaled, VmEvent? @event, VmCommandOutcome outcome, string reason, string settledBy)
    {
        await using var work = await units.BeginAsync(CancellationToken.None);
        var vm = await VmStore.LockAsync(work, journaled.VmId);
        var operation = new VmOperation(journaled.OperationId, journaled.VmId, journaled.Kind, settledBy);
        VmOperationResult result;
        if (vm is null)
            result = VmOperationResult.NotFound(journaled.VmId);
        else if (vm.OperationId != journaled.OperationId)
            // Not the VM's operation in flight (one that ended without its journal, from before the journal kept its instance).
            result = VmOperationResult.HostFailed(vm, $"{journaled.Kind.InWords()} was interrupted; the VM is {vm.State}");
        else
        {
            var applied = await TransitionAsync(work, vm, @event, reason, operationAfter: null);
            if (journaled.TargetHostId is { } target && applied.Vm!.HostId != target)
                await HostStore.ReleaseAsync(work, target, vm);
            result = new VmOperationResult(outcome, applied.Vm, outcome == VmCommandOutcome.Done ? "" : $"VM {vm.VmId}: {reason}");
        }
        // Someone settled or ended it first: this transaction rolls back.
        if (!await AnnounceEndAsync(work, operation, result)) return null;
        await work.CommitAsync(CancellationToken.None);
        return result;
    }

    /// <summary>
    /// The middle of a migration, after the source stopped the VM: it now belongs to the target
    /// (whose capacity was reserved), with a new incarnation; the source's capacity is released.
    /// </summary>
    /// <returns>The moved VM, or null when it changed underneath (no longer this migration).</returns>
    public async Task<VmRecord?> MoveAsync(VmOperation operation, VmRecord migrating, string targetHostId, string reason)
    {
        await using var work = await units.BeginAsync(CancellationToken.None);
        var vm = await VmStore.LockAsync(work, migrating.VmId);
        if (vm is null || vm.State != VmState.Migrating || vm.OperationId != operation.OperationId) return null;
        await HostStore.ReleaseAsync(work, vm.HostId!, vm);
        var moved = await WriteAsync(work, vm, vm with { HostId = targetHostId, Incarnation = vm.Incarnation + 1, StateReason = reason, UpdatedAt = clock.GetUtcNow() });
        await work.CommitAsync(CancellationToken.None);
        return moved;
    }

    private async Task<VmOperationResult?> BeginAsync(VmOperation operation, VmEvent @event, string reason, PlacementRequest? placement, CancellationToken cancellationToken)
    {
        await using var work = await units.BeginAsync(cancellationToken);
        var vm = await VmStore.LockAsync(work, operation.VmId);
        if (vm is null) return await EndedBeforeBeginningAsync(work, operation, VmOperationResult.NotFound(operation.VmId));
        var transition = VmStateMachine.Decide(vm.State, @event);
        if (!transition.Changes(vm.State))
            return await EndedBeforeBeginningAsync(work, operation,
                VmOperationResult.Refused(vm, transition.Reason ?? $"{@event} is not allowed while the VM is {vm.State}"));

        var now = clock.GetUtcNow();
        var next = vm with { State = transition.To, StateReason = reason, UpdatedAt = now, OperationId = operation.OperationId };
        if (placement is not null)
        {
            var (host, why) = await reservations.ReserveAsync(work, vm, placement);
            if (host is null) return await EndedBeforeBeginningAsync(work, operation, VmOperationResult.NoCapacity(vm, why));
            next = next with
            {
                HostId = host.HostId, Incarnation = vm.Incarnation + 1, StateReason = $"placed on {host.HostId}", Storage = vm.Storage.PlacedIn(host.Cluster),
            };
        }
        // A concurrent repeat of the same id took it first: roll back; the caller answers as for a repeat.
        if (!await OperationJournal.BeginAsync(work, operation, now)) return null;

        var begun = await WriteAsync(work, vm, next);
        // Before the operation touches the host, sync is told to leave the VM alone until it ends.
        await work.PublishAsync(new VmTraceSkipped
        {
            VmId = vm.VmId, OperatingInstance = operation.OperatingInstance, OperationId = operation.OperationId, Operation = operation.Kind, SkippedAt = now,
        });
        await work.CommitAsync(cancellationToken);
        return VmOperationResult.Done(begun, changedFrom: vm.State);
    }

    /// <summary>An operation that did not begin (refused, no capacity, unknown VM): recorded and announced as ended, nothing else changes.</summary>
    private async Task<VmOperationResult> EndedBeforeBeginningAsync(UnitOfWork work, VmOperation operation, VmOperationResult result)
    {
        await OperationJournal.RecordEndedAsync(work, operation, result, clock.GetUtcNow());
        await work.PublishAsync(Completed(operation, result));
        await work.CommitAsync(CancellationToken.None);
        return result;
    }

    /// <returns>False when the journal had the operation ended already (nothing is announced twice).</returns>
    private async Task<bool> AnnounceEndAsync(UnitOfWork work, VmOperation operation, VmOperationResult result)
    {
        var now = clock.GetUtcNow();
        if (!await OperationJournal.CompleteAsync(work, operation.OperationId, result, now)) return false;
        await work.PublishAsync(new VmTraceContinued { VmId = operation.VmId, OperatingInstance = operation.OperatingInstance, OperationId = operation.OperationId, ContinuedAt = now });
        await work.PublishAsync(Completed(operation, result));
        return true;
    }

    private VmCommandCompleted Completed(VmOperation operation, VmOperationResult result) =>
        result.ToCompletion(operation.VmId, operation.OperationId, operation.Kind, clock.GetUtcNow());

    /// <param name="event">Null to change only the operation in flight (settling a VM already out of its transitional state).</param>
    /// <param name="operationAfter">The operation in flight once this is written (null when this ends it).</param>
    private async Task<VmOperationResult> TransitionAsync(UnitOfWork work, VmRecord vm, VmEvent? @event, string reason, Guid? operationAfter)
    {
        var transition = @event is { } happened ? VmStateMachine.Decide(vm.State, happened) : VmTransition.Stay(vm.State);
        var moves = transition.Changes(vm.State);
        var next = (moves ? vm with { State = transition.To, StateReason = reason, UpdatedAt = clock.GetUtcNow() } : vm) with { OperationId = operationAfter };
        if (moves && HoldsNoHost.Contains(next.State) && vm.HostId is not null)
        {
            await HostStore.ReleaseAsync(work, vm.HostId, vm);
            next = next with { HostId = null };
        }
        next = await WriteAsync(work, vm, next);
        if (transition.IsRefused) return VmOperationResult.Refused(next, transition.Reason!);
        return VmOperationResult.Done(next, moves ? vm.State : null);
    }

    /// <summary>
    /// The one write of a VM's row: its state, host, incarnation and operation in flight, with
    /// <see cref="VmStateChanged"/> in the same transaction whenever what watchers track (state,
    /// host, run) changed. Nothing is written when nothing changed.
    /// </summary>
    /// <returns>The VM as written (at its new version).</returns>
    private static async Task<VmRecord> WriteAsync(UnitOfWork work, VmRecord before, VmRecord after)
    {
        if (after == before) return before;
        await VmStore.UpdateAsync(work, after);
        if ((after.State, after.HostId, after.Incarnation) != (before.State, before.HostId, before.Incarnation))
            await EnqueueChangeAsync(work, before, after);
        return after with { Version = before.Version + 1 };
    }

    private static Task EnqueueChangeAsync(UnitOfWork work, VmRecord before, VmRecord after) =>
        work.PublishAsync(new VmStateChanged
        {
            VmId = after.VmId,
            From = before.State,
            To = after.State,
            // A VM that just left its host is still reported against that host, so watchers can drop it.
            HostId = after.HostId ?? before.HostId,
            Incarnation = after.Incarnation,
            Reason = after.StateReason,
            ChangedAt = after.UpdatedAt,
        });
}
