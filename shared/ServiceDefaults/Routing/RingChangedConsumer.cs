using CloudBus.Messages.Routing;
using MassTransit;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// Every instance has its own (temporary) queue for ring changes; this instance keeps the newest
/// ring of its own service and ignores the others' rings and older epochs.
/// </summary>
public sealed class RingChangedConsumer(RingUpdater updater) : IConsumer<RingChanged>
{
    public Task Consume(ConsumeContext<RingChanged> context) => updater.ApplyAsync(context.Message);
}
