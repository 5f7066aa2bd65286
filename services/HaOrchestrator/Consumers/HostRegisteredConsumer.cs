using CloudBus.HaOrchestrator.Hosts;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>Learns where a new host's agent and BMC are, and its cluster.</summary>
public sealed class HostRegisteredConsumer(HostDirectory hosts) : IConsumer<HostRegistered>
{
    public Task Consume(ConsumeContext<HostRegistered> context) => hosts.AddAsync(context.Message, context.CancellationToken);
}
