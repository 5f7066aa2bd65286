using CloudBus.Messages.Registry;
using CloudBus.NodeRegistry.Persistence;
using MassTransit;

namespace CloudBus.NodeRegistry.Consumers;

/// <summary>Records that an instance is alive.</summary>
public sealed class ServiceInstanceHeartbeatConsumer(MemberStore members) : IConsumer<ServiceInstanceHeartbeat>
{
    public Task Consume(ConsumeContext<ServiceInstanceHeartbeat> context) =>
        members.RecordHeartbeatAsync(context.Message, context.CancellationToken);
}
