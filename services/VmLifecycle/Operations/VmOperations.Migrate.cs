using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;
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
        RunAsync(vmId, "migrate", operationId,
            operation => transitions.BeginAsync(operation, VmEvent.Migrate, "migration requested", cancellationToken),
            (operation, vm) => MigrateBetweenHostsAsync(operation, vm, targetHostId), cancellationToken);

    private async Task<VmOperationResult> MigrateBetweenHostsAsync(VmOperation operation, VmRecord vm, string? targetHostId)
    {
        var source = (await hosts.GetAsync(vm.HostId!, CancellationToken.None))!;
        var (targetId, why) = await migrationTargets.ReserveAsync(operation, vm,
            new PlacementRequest { CpuCores = vm.CpuCores, MemoryMib = vm.MemoryMib, RootDiskGib = vm.RootDiskGib, RequiredHostId = targetHostId, ExcludedHostIds = [source.HostId] });
        if (targetId is null)
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, "migration found no target", after => VmOperationResult.NoCapacity(after, why));

        if (await TryStopOnHostAsync(source, vm, force: true, options.Value.AgentTimeout) is null)
        {
            await migrationTargets.ReleaseAsync(operation, targetId, vm);
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, $"migration: stop on {source.HostId} failed",
                after => VmOperationResult.HostFailed(after, $"migration failed: {source.HostId} did not stop the VM; it is still considered running there"));
        }

        var moved = await transitions.MoveAsync(operation, vm, targetId, $"migrating from {source.HostId} to {targetId}");
        if (moved is null)
        {
            await migrationTargets.ReleaseAsync(operation, targetId, vm); // the VM changed underneath: give the target's room back
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, "the VM changed while being migrated; the migration was abandoned",
                after => VmOperationResult.Refused(after, "it changed while being migrated; the migration was abandoned"));
        }
        var target = (await hosts.GetAsync(targetId, CancellationToken.None))!;
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
            await agents.StartVmAsync(target.AgentAddress, target.HostId, vm.VmId.ToString(), new AgentStartVm(moved.Incarnation, vm.CpuCores, vm.MemoryMib), timeout.Token);
        }
        catch (AgentUnavailableException failure)
        {
            // The source has stopped it: refused means it runs nowhere; unanswered means it may run on the target.
            var outcome = failure.IsRefusal ? VmEvent.StartFailed : VmEvent.StartUnanswered;
            return await transitions.EndAsync(operation, outcome, $"migration: start on {target.HostId} failed: {failure.Message}",
                after => VmOperationResult.HostFailed(after, $"migration: start on {target.HostId} failed: {failure.Message}"));
        }
        return await transitions.EndAsync(operation, VmEvent.MigrateSucceeded, $"migrated from {source.HostId} to {target.HostId}", after => VmOperationResult.Done(after));
    }
}
