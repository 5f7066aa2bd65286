using CloudBus.Messages.Registry;
using CloudBus.NodeRegistry.Persistence;
using MassTransit;

namespace CloudBus.NodeRegistry.Consumers;

/// <summary>A clean shutdown leaves membership at once.</summary>
public sealed class ServiceInstanceStoppedConsumer(MemberStore members) : IConsumer<ServiceInstanceStopped>
{
    public Task Consume(ConsumeContext<ServiceInstanceStopped> context) =>
        members.RemoveAsync(context.Message.InstanceId, context.CancellationToken);
}
