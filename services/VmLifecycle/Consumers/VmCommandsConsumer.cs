using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Operations;
using CloudBus.VmLifecycle.Placement;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// The VM operations as bus commands, with the same rules as the API. Each carries an operation
/// id, so a redelivered or repeated command does nothing twice. A requester gets a
/// <see cref="VmCommandResult"/>; a refusal is an answer, not an exception.
/// </summary>
public sealed class VmCommandsConsumer(VmOperations operations) :
    IConsumer<StartVm>, IConsumer<StopVm>, IConsumer<RebootVm>, IConsumer<MigrateVm>, IConsumer<DestroyVm>
{
    public async Task Consume(ConsumeContext<StartVm> context)
    {
        var command = context.Message;
        var placement = new PlacementRequest
        {
            CpuCores = 0, MemoryMib = 0, RequiredHostId = command.HostId,
            PreferredTags = command.PreferredTags, ExcludedHostIds = command.ExcludedHostIds,
        };
        await AnswerAsync(context, command.VmId, command.OperationId, await operations.StartAsync(command.VmId, placement, command.OperationId, context.CancellationToken));
    }

    public async Task Consume(ConsumeContext<StopVm> context) =>
        await AnswerAsync(context, context.Message.VmId, context.Message.OperationId,
            await operations.StopAsync(context.Message.VmId, context.Message.Force, context.Message.OperationId, context.CancellationToken));

    public async Task Consume(ConsumeContext<RebootVm> context) =>
        await AnswerAsync(context, context.Message.VmId, context.Message.OperationId,
            await operations.RebootAsync(context.Message.VmId, context.Message.OperationId, context.CancellationToken));

    public async Task Consume(ConsumeContext<MigrateVm> context) =>
        await AnswerAsync(context, context.Message.VmId, context.Message.OperationId,
            await operations.MigrateAsync(context.Message.VmId, context.Message.TargetHostId, context.Message.OperationId, context.CancellationToken));

    public async Task Consume(ConsumeContext<DestroyVm> context) =>
        await AnswerAsync(context, context.Message.VmId, context.Message.OperationId,
            await operations.DestroyAsync(context.Message.VmId, context.Message.OperationId, context.CancellationToken));

    private static async Task AnswerAsync(ConsumeContext context, Guid vmId, Guid operationId, VmOperationResult result)
    {
        if (context.ResponseAddress is null) return;
        await context.RespondAsync(new VmCommandResult
        {
            VmId = vmId, OperationId = operationId, Outcome = result.Outcome.ToString(),
            Message = result.Message, State = result.Vm?.State, HostId = result.Vm?.HostId,
        });
    }
}
