using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Operations;
using CloudBus.VmLifecycle.Persistence;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// The commands that change a VM's record and touch no host: create it, set what HA does for it.
/// They are held to the same limits as the API (<see cref="VmSettingsRules"/>). However one ends,
/// even as invalid, its end is published as <see cref="VmCommandCompleted"/> (without an operation
/// id), never replied.
/// </summary>
public sealed class VmRecordCommandsConsumer(VmCreation creation, VmStore vms, TimeProvider clock) : IConsumer<CreateVm>, IConsumer<SetVmHa>
{
    public async Task Consume(ConsumeContext<CreateVm> context)
    {
        var command = context.Message;
        var vm = new NewVm(command.Name, command.CpuCores, command.MemoryMib, RootDiskGib: 0, command.HaLevel, command.RestartPriority, VmStorage.Unbound);
        if (VmSettingsRules.Check(vm) is { Count: > 0 } broken)
        {
            await PublishInvalidAsync(context, command.VmId, VmOperationKind.Create, broken);
            return;
        }
        // Creation announces its own end, in the transaction that stores the VM.
        await creation.CreateAsync(vm, command.VmId, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<SetVmHa> context)
    {
        var command = context.Message;
        if (VmSettingsRules.CheckHa(command.HaLevel, command.RestartPriority) is { Count: > 0 } broken)
        {
            await PublishInvalidAsync(context, command.VmId, VmOperationKind.SetHa, broken);
            return;
        }
        var vm = await vms.SetHaAsync(command.VmId, command.HaLevel, command.RestartPriority, clock.GetUtcNow(), context.CancellationToken);
        // Setting HA twice sets it once: a lost answer is made up for by asking again.
        var result = vm is null ? VmOperationResult.NotFound(command.VmId) : VmOperationResult.Done(vm);
        await context.Publish(result.ToCompletion(command.VmId, Guid.Empty, VmOperationKind.SetHa, clock.GetUtcNow()));
    }

    private Task PublishInvalidAsync(ConsumeContext context, Guid vmId, VmOperationKind operation, IReadOnlyList<string> broken) =>
        context.Publish(VmOperationResult.Invalid(string.Join(" ", broken)).ToCompletion(vmId, Guid.Empty, operation, clock.GetUtcNow()));
}
