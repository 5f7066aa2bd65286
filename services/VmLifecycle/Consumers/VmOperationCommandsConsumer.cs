using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Operations;
using CloudBus.VmLifecycle.Placement;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// The VM operations as bus commands, with the same rules as the API. Each carries an operation
/// id, so a redelivered or repeated command does nothing twice. An operation announces its own
/// end as <see cref="VmCommandCompleted"/> (see <see cref="VmTransitions"/>), so nothing is
/// published here, and nothing is ever replied: a reply to a requester that died meanwhile would
/// fault this endpoint's channel.
/// </summary>
public sealed class VmOperationCommandsConsumer(VmPowerOperations power, VmMigration migration, VmDestruction destruction) :
    IConsumer<StartVm>, IConsumer<StopVm>, IConsumer<RebootVm>, IConsumer<MigrateVm>, IConsumer<DestroyVm>
{
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
}
