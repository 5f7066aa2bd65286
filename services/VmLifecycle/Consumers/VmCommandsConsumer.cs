using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;
using CloudBus.VmLifecycle.Operations;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.VmLifecycle.Placement;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// The VM operations as bus commands, with the same rules as the API. Each carries an operation
/// id, so a redelivered or repeated command does nothing twice. A requester gets a
/// <see cref="VmCommandResult"/>; a refusal is an answer, not an exception.
/// </summary>
public sealed class VmCommandsConsumer(VmOperations operations, VmStore vms, FencedHostRelease fencedHosts, TimeProvider clock) :
    IConsumer<ReleaseFencedHost>, IConsumer<CreateVm>, IConsumer<SetVmHa>, IConsumer<StartVm>, IConsumer<StopVm>, IConsumer<RebootVm>, IConsumer<MigrateVm>, IConsumer<DestroyVm>
{
    /// <summary>Answered by the <see cref="FencedHostReleased"/> event, which commits with the release.</summary>
    public Task Consume(ConsumeContext<ReleaseFencedHost> context) => fencedHosts.ReleaseAsync(context.Message, context.CancellationToken);

    public async Task Consume(ConsumeContext<CreateVm> context)
    {
        var command = context.Message;
        var validation = new CreateVmRequest(command.Name, command.CpuCores, command.MemoryMib, command.HaLevel.ToString(), command.RestartPriority).Validate();
        if (!validation.IsValid)
        {
            await AnswerInvalidAsync(context, command.VmId, validation);
            return;
        }
        var vm = await operations.CreateAsync(command.Name, command.CpuCores, command.MemoryMib, 0, command.HaLevel, command.RestartPriority,
            context.CancellationToken, command.VmId);
        await AnswerAsync(context, command.VmId, Guid.Empty, VmOperationResult.Done(vm));
    }

    public async Task Consume(ConsumeContext<SetVmHa> context)
    {
        var command = context.Message;
        var validation = new SetHaRequest(command.HaLevel.ToString(), command.RestartPriority).Validate();
        if (!validation.IsValid)
        {
            await AnswerInvalidAsync(context, command.VmId, validation);
            return;
        }
        var vm = await vms.SetHaAsync(command.VmId, command.HaLevel, command.RestartPriority, clock.GetUtcNow(), context.CancellationToken);
        await AnswerAsync(context, command.VmId, Guid.Empty, vm is null ? VmOperationResult.NotFound(command.VmId) : VmOperationResult.Done(vm));
    }

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

    private static async Task AnswerInvalidAsync(ConsumeContext context, Guid vmId, RequestValidation validation)
    {
        if (context.ResponseAddress is null) return;
        await context.RespondAsync(new VmCommandResult
        {
            VmId = vmId, OperationId = Guid.Empty, Outcome = "Invalid",
            Message = string.Join(" ", validation.Errors.SelectMany(e => e.Value)),
        });
    }

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
