using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// Creates VMs so that a retried create makes one VM: the caller names it (the bus command's VM
/// id), or gives an idempotency key from which its id is derived. A repeat returns the VM made the
/// first time; a repeat that asks for something else is refused. The VM and the announcement of
/// its creation commit together.
/// </summary>
public sealed class VmCreation(UnitsOfWork units, TimeProvider clock)
{
    /// <summary>The id a VM created with <paramref name="idempotencyKey"/> gets, whoever creates it and however often.</summary>
    public static Guid IdFor(string idempotencyKey) => NameBasedGuid.From($"vm/{idempotencyKey}");

    /// <param name="vmId">The caller's id for the VM; a new one when null.</param>
    /// <returns>The outcome, and whether this call created the VM (false for a repeat).</returns>
    public async Task<(VmOperationResult Result, bool IsNew)> CreateAsync(NewVm request, Guid? vmId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var vm = new VmRecord
        {
            VmId = vmId ?? Guid.NewGuid(), Name = request.Name, CpuCores = request.CpuCores, MemoryMib = request.MemoryMib, RootDiskGib = request.RootDiskGib,
            HaLevel = request.HaLevel, RestartPriority = request.RestartPriority, State = VmState.Created, StateReason = "created", CreatedAt = now, UpdatedAt = now,
            Storage = request.Storage,
        };
        await using var work = await units.BeginAsync(cancellationToken);
        VmOperationResult result;
        var isNew = await VmStore.InsertAsync(work, vm);
        if (isNew)
        {
            await VmDeviceStore.AddHardwareAsync(work, vm.VmId, request.Hardware ?? VmHardware.None);
            result = VmOperationResult.Done(vm);
        }
        else
        {
            var existing = (await VmStore.LockAsync(work, vm.VmId))!;
            result = request.Matches(existing)
                ? VmOperationResult.Done(existing)
                : VmOperationResult.Refused(existing, "this id (or idempotency key) was used to create a VM with other settings");
        }
        await work.PublishAsync(result.ToCompletion(vm.VmId, Guid.Empty, VmOperationKind.Create, now));
        await work.CommitAsync(cancellationToken);
        return (result, isNew);
    }
}
