using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Operations;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>Keeps the copy of each host's status as HostMonitor (its owner) sees it; see <see cref="HostStatusCopy"/>.</summary>
public sealed class HostStatusChangedConsumer(HostStatusCopy copy) : IConsumer<HostStatusChanged>
{
    public Task Consume(ConsumeContext<HostStatusChanged> context) => copy.ApplyAsync(context.Message, context.CancellationToken);
}
