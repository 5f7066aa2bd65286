using CloudBus.HaOrchestrator.Fencing;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>Learns where a new host's agent and BMC are, and its cluster, and binds its BMC to it.</summary>
public sealed class HostRegisteredConsumer(HostDirectory hosts, BmcIdentities identities) : IConsumer<HostRegistered>
{
    public async Task Consume(ConsumeContext<HostRegistered> context)
    {
        await hosts.AddAsync(context.Message, context.CancellationToken);
        await identities.BindNewAsync(context.Message.HostId, context, context.CancellationToken);
    }
}
