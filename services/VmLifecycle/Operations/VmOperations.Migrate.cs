using CloudBus.AgentClient;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.VmLifecycle.Placement;

namespace CloudBus.VmLifecycle.Operations;

public sealed partial class VmOperations
{
    /// <summary>
    /// Moves a running VM to another host (to <paramref name="targetHostId"/> if given) as a cold
    /// migration: capacity is reserved on the target, the VM is stopped on its source and only
    /// then started on the target with a new incarnation, so it never runs on two hosts.
    /// </summary>
    public Task<VmOperationResult> MigrateAsync(Guid vmId, string? targetHostId, Guid? operationId, CancellationToken cancellationToken) =>
        TracedAsync(vmId, "migrate", operationId, async () =>
        {
            var migrating = await transitions.ApplyAsync(vmId, VmEvent.Migrate, "migration requested", cancellationToken: cancellationToken);
            if (migrating.Outcome != VmOutcome.Done) return migrating;
            var vm = migrating.Vm!;
            var source = (await hosts.GetAsync(vm.HostId!, CancellationToken.None))!;

            var plan = PlacementPolicy.Plan(new PlacementRequest
            {
                CpuCores = vm.CpuCores, MemoryMib = vm.MemoryMib, RootDiskGib = vm.RootDiskGib, RequiredHostId = targetHostId, ExcludedHostIds = [source.HostId],
            }, await hosts.ListAsync(CancellationToken.None));
            var target = await ReserveFirstAsync(plan, vm);
            if (target is null)
            {
                await transitions.ApplyAsync(vm.VmId, VmEvent.OperationFailed, "migration found no target", vm.Incarnation, cancellationToken: CancellationToken.None);
                return VmOperationResult.NoCapacity(vm, plan.Candidates.Count == 0 ? plan.Explain() : "every candidate host filled up concurrently; try again");
            }

            if (await TryStopOnHostAsync(source, vm, force: true, options.Value.AgentTimeout) is null)
            {
                await ReleaseAsync(target.HostId, vm);
                await transitions.ApplyAsync(vm.VmId, VmEvent.OperationFailed, $"migration: stop on {source.HostId} failed", vm.Incarnation, cancellationToken: CancellationToken.None);
                return VmOperationResult.HostFailed(vm, $"migration failed: {source.HostId} did not stop the VM; it is still considered running there");
            }

            var moved = await transitions.MoveAsync(vm, target.HostId, $"migrating from {source.HostId} to {target.HostId}");
            if (moved is null)
            {
                await ReleaseAsync(target.HostId, vm); // the VM changed underneath: give the target's room back
                var now = await vms.GetAsync(vm.VmId, CancellationToken.None);
                return now is null ? VmOperationResult.NotFound(vm.VmId) : VmOperationResult.Refused(now, "it changed while being migrated; the migration was abandoned");
            }
            try
            {
                using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
                await agents.StartVmAsync(target.AgentAddress, target.HostId, vm.VmId.ToString(), new AgentStartVm(moved.Incarnation, vm.CpuCores, vm.MemoryMib), timeout.Token);
            }
            catch (AgentUnavailableException failure)
            {
                // The source has stopped it: refused means it runs nowhere; unanswered means it may run on the target.
                var outcome = failure.IsRefusal ? VmEvent.StartFailed : VmEvent.StartUnanswered;
                var failed = await transitions.ApplyAsync(vm.VmId, outcome, $"migration: start on {target.HostId} failed: {failure.Message}",
                    moved.Incarnation, cancellationToken: CancellationToken.None);
                return VmOperationResult.HostFailed(failed.Vm ?? moved, $"migration: start on {target.HostId} failed: {failure.Message}");
            }
            return await transitions.ApplyAsync(vm.VmId, VmEvent.MigrateSucceeded, $"migrated from {source.HostId} to {target.HostId}", moved.Incarnation,
                cancellationToken: CancellationToken.None);
        }, cancellationToken);

    private async Task<HostRecord?> ReserveFirstAsync(PlacementPlan plan, VmRecord vm)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        foreach (var candidate in plan.Candidates)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            if (!await HostStore.TryReserveAsync(connection, transaction, candidate, vm)) continue;
            await transaction.CommitAsync();
            return await hosts.GetAsync(candidate, CancellationToken.None);
        }
        return null;
    }

    private async Task ReleaseAsync(string hostId, VmRecord vm)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await HostStore.ReleaseAsync(connection, transaction, hostId, vm);
        await transaction.CommitAsync();
    }
}
