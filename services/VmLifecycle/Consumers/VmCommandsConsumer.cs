using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;
using CloudBus.VmLifecycle.Operations;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.VmLifecycle.Placement;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// The VM operations as bus commands, with the same rules as the API. Each carries an operation
/// id, so a redelivered or repeated command does nothing twice. However a command ends, its end is
/// published as <see cref="VmCommandCompleted"/> (an operation's with its stored outcome), never
/// replied: a reply to a requester that died meanwhile would fault this endpoint's channel.
/// </summary>
public sealed class VmCommandsConsumer(VmPowerOperations power, VmMigration migration, VmDestruction destruction, VmCreation creation, VmStore vms, FencedHostRelease fencedHosts, TimeProvider clock) :
    IConsumer<ReleaseFencedHost>, IConsumer<CreateVm>, IConsumer<SetVmHa>, IConsumer<StartVm>, IConsumer<StopVm>, IConsumer<RebootVm>, IConsumer<MigrateVm>, IConsumer<DestroyVm>
{
    /// <summary>Answered by the <see cref="FencedHostReleased"/> event, which commits with the release.</summary>
    public Task Consume(ConsumeContext<ReleaseFencedHost> context) => fencedHosts.ReleaseAsync(context.Message, context.CancellationToken);

    public async Task Consume(ConsumeContext<CreateVm> context)
    {
        var command = context.Message;
        var request = new CreateVmRequest(command.Name, command.CpuCores, command.MemoryMib, command.HaLevel.ToString(), command.RestartPriority);
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            await PublishInvalidAsync(context, command.VmId, "create", validation);
            return;
        }
        await creation.CreateAsync(request.ToNewVm(), command.VmId, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<SetVmHa> context)
    {
        var command = context.Message;
        var validation = new SetHaRequest(command.HaLevel.ToString(), command.RestartPriority).Validate();
        if (!validation.IsValid)
        {
            await PublishInvalidAsync(context, command.VmId, "set HA", validation);
            return;
        }
        var vm = await vms.SetHaAsync(command.VmId, command.HaLevel, command.RestartPriority, clock.GetUtcNow(), context.CancellationToken);
        // Setting HA twice sets it once: a lost answer is made up for by asking again.
        var result = vm is null ? VmOperationResult.NotFound(command.VmId) : VmOperationResult.Done(vm);
        await context.Publish(result.ToCompletion(command.VmId, Guid.Empty, "set HA", clock.GetUtcNow()));
    }

    // Operations announce their own end (see VmTransitions): nothing to publish here.
    public Task Consume(ConsumeContext<StartVm> context) =>
        power.StartAsync(context.Message.VmId, new PlacementRequest
        {
            CpuCores = 0, MemoryMib = 0, RequiredHostId = context.Message.HostId,
            PreferredTags = context.Message.PreferredTags, ExcludedHostIds = context.Message.ExcludedHostIds,
        }, context.Message.OperationId, context.CancellationToken);

    public Task Consume(ConsumeContext<StopVm> context) =>
        power.StopAsync(context.Message.VmId, context.Message.Force, context.Message.OperationId, context.CancellationToken);

    public Task Consume(ConsumeContext<RebootVm> context) =>
        power.RebootAsync(context.Message.VmId, context.Message.OperationId, context.CancellationToken);

    public Task Consume(ConsumeContext<MigrateVm> context) =>
        migration.MigrateAsync(context.Message.VmId, context.Message.TargetHostId, context.Message.OperationId, context.CancellationToken);

    public Task Consume(ConsumeContext<DestroyVm> context) =>
        destruction.DestroyAsync(context.Message.VmId, context.Message.OperationId, context.CancellationToken);

    private Task PublishInvalidAsync(ConsumeContext context, Guid vmId, string operation, RequestValidation validation) =>
        context.Publish(VmOperationResult.Invalid(string.Join(" ", validation.Errors.SelectMany(e => e.Value)))
            .ToCompletion(vmId, Guid.Empty, operation, clock.GetUtcNow()));
}
