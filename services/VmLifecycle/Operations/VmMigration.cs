using CloudBus.Messages.Vms;
using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Placement;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// Moves a running VM to another host as a cold migration, run as <see cref="OperationRunner"/>
/// describes: capacity is reserved on the target, the VM is stopped on its source and only then
/// started on the target with a new incarnation, so it never runs on two hosts.
/// </summary>
public sealed class VmMigration(OperationRunner runner, VmTransitions transitions, MigrationTargets targets, AgentCalls agents, VmDeviceRecorder devices)
{
    /// <param name="targetHostId">The target; null lets placement choose.</param>
    public Task<VmOperationResult> MigrateAsync(Guid vmId, string? targetHostId, Guid? operationId, CancellationToken cancellationToken) =>
        runner.RunAsync(vmId, VmOperationKind.Migrate, operationId,
            operation => transitions.BeginAsync(operation, VmEvent.Migrate, "migration requested", cancellationToken),
            (operation, vm) => MigrateBetweenHostsAsync(operation, vm, targetHostId), cancellationToken);

    private async Task<VmOperationResult> MigrateBetweenHostsAsync(VmOperation operation, VmRecord vm, string? targetHostId)
    {
        var sourceId = vm.HostId!;
        var (targetId, why) = await targets.ReserveAsync(operation, vm,
            new PlacementRequest { CpuCores = vm.CpuCores, MemoryMib = vm.MemoryMib, RootDiskGib = vm.RootDiskGib, RequiredHostId = targetHostId, ExcludedHostIds = [sourceId] });
        if (targetId is null)
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, "migration found no target", after => VmOperationResult.NoCapacity(after, why));

        if (!await agents.StopAsync(sourceId, vm, force: true))
        {
            await targets.ReleaseAsync(operation, targetId, vm);
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, $"migration: stop on {sourceId} failed",
                after => VmOperationResult.HostFailed(after, $"migration failed: {sourceId} did not stop the VM; it is still considered running there"));
        }

        var moved = await transitions.MoveAsync(operation, vm, targetId, $"migrating from {sourceId} to {targetId}");
        if (moved is null)
        {
            await targets.ReleaseAsync(operation, targetId, vm); // the VM changed underneath: give the target's room back
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, "the VM changed while being migrated; the migration was abandoned",
                after => VmOperationResult.Refused(after, "it changed while being migrated; the migration was abandoned"));
        }
        VmDevices? started;
        try
        {
            started = await agents.StartAsync(targetId, moved);
        }
        catch (AgentUnavailableException failure)
        {
            // The source has stopped it: refused means it runs nowhere; unanswered means it may run on the target.
            var outcome = failure.IsRefusal ? VmEvent.StartFailed : VmEvent.StartUnanswered;
            return await transitions.EndAsync(operation, outcome, $"migration: start on {targetId} failed: {failure.Message}",
                after => VmOperationResult.HostFailed(after, $"migration: start on {targetId} failed: {failure.Message}"));
        }
        var result = await transitions.EndAsync(operation, VmEvent.MigrateSucceeded, $"migrated from {sourceId} to {targetId}", after => VmOperationResult.Done(after));
        await devices.AfterStartAsync(moved, targetId, started, DeviceReportSource.Start);
        return result;
    }
}
