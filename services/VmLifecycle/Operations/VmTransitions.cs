using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.ServiceDefaults.Scheduling;
using Npgsql;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// The one place where a VM's state changes: lock the row, ask the state machine, write the new
/// state (releasing the host's capacity when the VM stops holding it) and its
/// <see cref="VmStateChanged"/> announcement, and commit them together.
/// </summary>
public sealed class VmTransitions(NpgsqlDataSource dataSource, ScheduledMessages outbox, TimeProvider clock)
{
    /// <summary>States in which a VM holds no capacity on any host (Unknown keeps it: the VM may run).</summary>
    private static readonly HashSet<VmState> HoldsNoHost = [VmState.Created, VmState.Stopped, VmState.Destroyed];

    /// <param name="expectedIncarnation">When set, the event is about this run of the VM only; a
    /// report about an older run (or another host) is ignored.</param>
    public async Task<VmOperationResult> ApplyAsync(
        Guid vmId, VmEvent @event, string reason, long? expectedIncarnation = null, string? expectedHostId = null,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var vm = await VmStore.LockAsync(connection, transaction, vmId);
        if (vm is null) return VmOperationResult.NotFound(vmId);
        if (expectedIncarnation is { } incarnation && incarnation != vm.Incarnation)
            return VmOperationResult.Refused(vm, $"{@event} concerns incarnation {incarnation}, the VM is at {vm.Incarnation}");
        if (expectedHostId is not null && expectedHostId != vm.HostId)
            return VmOperationResult.Refused(vm, $"{@event} comes from host {expectedHostId}, the VM is on {vm.HostId ?? "no host"}");

        var result = await ApplyToLockedAsync(connection, transaction, vm, @event, reason);
        if (result.ChangedFrom is null) return result;
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        return result;
    }

    /// <summary>
    /// Applies an event to a VM whose row the caller locked in <paramref name="transaction"/>;
    /// the caller commits (so several VMs can change in one transaction) and then calls <see cref="Committed"/>.
    /// </summary>
    public async Task<VmOperationResult> ApplyToLockedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, VmRecord vm, VmEvent @event, string reason)
    {
        var transition = VmStateMachine.Decide(vm.State, @event);
        if (transition.IsRefused) return VmOperationResult.Refused(vm, transition.Reason!);
        if (!transition.Changes(vm.State)) return VmOperationResult.Done(vm);

        var next = vm with { State = transition.To, StateReason = reason, UpdatedAt = clock.GetUtcNow() };
        if (HoldsNoHost.Contains(next.State) && vm.HostId is not null)
        {
            await HostStore.ReleaseAsync(connection, transaction, vm.HostId, vm);
            next = next with { HostId = null };
        }

        await VmStore.UpdateAsync(connection, transaction, next);
        await EnqueueChangeAsync(connection, transaction, vm, next);
        return VmOperationResult.Done(next with { Version = vm.Version + 1 }, changedFrom: vm.State);
    }

    /// <summary>
    /// The middle of a migration, after the source stopped the VM: it now belongs to the target
    /// (whose capacity was reserved), with a new incarnation; the source's capacity is released.
    /// </summary>
    /// <returns>The moved VM, or null when it changed underneath (no longer this migration).</returns>
    public async Task<VmRecord?> MoveAsync(VmRecord migrating, string targetHostId, string reason)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var vm = await VmStore.LockAsync(connection, transaction, migrating.VmId);
        if (vm is null || vm.State != VmState.Migrating || vm.Incarnation != migrating.Incarnation) return null;
        await HostStore.ReleaseAsync(connection, transaction, vm.HostId!, vm);
        var moved = vm with { HostId = targetHostId, Incarnation = vm.Incarnation + 1, StateReason = reason, UpdatedAt = clock.GetUtcNow() };
        await VmStore.UpdateAsync(connection, transaction, moved);
        await EnqueueChangeAsync(connection, transaction, vm, moved);
        await transaction.CommitAsync();
        outbox.Notify();
        return moved with { Version = vm.Version + 1 };
    }

    /// <summary>After a commit that enqueued a change: publish it now.</summary>
    public void Committed() => outbox.Notify();

    public Task EnqueueChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, VmRecord before, VmRecord after) =>
        outbox.EnqueueAsync(connection, transaction, new VmStateChanged
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
