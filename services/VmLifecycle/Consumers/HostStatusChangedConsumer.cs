using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Persistence;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// Keeps a copy of each host's status as HostMonitor (its owner) sees it: placement uses only
/// Connected hosts. A copy older than the one held is dropped.
/// </summary>
public sealed class HostStatusChangedConsumer(HostStore hosts) : IConsumer<HostStatusChanged>
{
    public Task Consume(ConsumeContext<HostStatusChanged> context) =>
        hosts.SetStatusAsync(context.Message.HostId, context.Message.To, context.Message.ChangedAt, context.CancellationToken);
}
