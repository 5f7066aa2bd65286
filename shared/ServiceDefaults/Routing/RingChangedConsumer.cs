using CloudBus.Messages.Routing;
using CloudBus.Ring;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// Every instance has its own (temporary) queue for ring changes; this instance keeps the newest
/// ring of its own service and ignores the others' rings and older epochs.
/// </summary>
public sealed partial class RingChangedConsumer(RingHolder ring, ILogger<RingChangedConsumer> logger) : IConsumer<RingChanged>
{
    public Task Consume(ConsumeContext<RingChanged> context)
    {
        Apply(ring, context.Message, logger);
        return Task.CompletedTask;
    }

    /// <summary>Swaps in the ring described by <paramref name="message"/> if it is newer; shared with the start-up request.</summary>
    public static void Apply(RingHolder ring, RingChanged message, ILogger logger)
    {
        if (message.Service != ring.Service) return;
        var snapshot = new RingSnapshot(message.Service, message.Epoch, new HashRing(message.Members, message.VirtualNodesPerMember));
        if (ring.TryAdvance(snapshot))
            LogRingChanged(logger, message.Service, message.Epoch, message.Members);
    }

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Ring of {Service} is now epoch {Epoch}: {Members}")]
    private static partial void LogRingChanged(ILogger logger, string service, long epoch, IReadOnlyList<string> members);
}
