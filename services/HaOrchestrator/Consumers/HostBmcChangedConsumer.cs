using CloudBus.HaOrchestrator.Fencing;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>An admin changed a host's BMC: forget the identity bound to the old one and bind the new one.</summary>
public sealed class HostBmcChangedConsumer(HostDirectory hosts, BmcIdentities identities) : IConsumer<HostBmcChanged>
{
    public async Task Consume(ConsumeContext<HostBmcChanged> context)
    {
        if (await hosts.ChangeBmcAsync(context.Message, context.CancellationToken))
            await identities.BindNewAsync(context.Message.HostId, context, context.CancellationToken);
    }
}
