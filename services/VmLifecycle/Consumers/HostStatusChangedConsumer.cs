using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Persistence;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>Keeps each host's status as HostMonitor sees it: placement uses only Connected hosts.</summary>
public sealed class HostStatusChangedConsumer(HostStore hosts) : IConsumer<HostStatusChanged>
{
    public Task Consume(ConsumeContext<HostStatusChanged> context) =>
        hosts.SetStatusAsync(context.Message.HostId, context.Message.To, context.CancellationToken);
}
