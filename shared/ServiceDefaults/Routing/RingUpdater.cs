using CloudBus.Messages.Routing;
using CloudBus.Ring;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// The one place a new ring is taken in, from a RingChanged message or from the answer to the
/// start-up request: swap it in if newer, and have the queues of instances that left drained.
/// </summary>
public sealed partial class RingUpdater(RingHolder ring, DepartedQueueDrainer drainer, ILogger<RingUpdater> logger)
{
    public async Task ApplyAsync(RingChanged message)
    {
        if (message.Service != ring.Service) return;
        var next = new RingSnapshot(message.Service, message.Epoch, new HashRing(message.Members, message.VirtualNodesPerMember));
        if (!ring.TryAdvance(next, out var replaced)) return;
        LogRingChanged(message.Service, message.Epoch, message.Members);
        await drainer.DrainDepartedAsync(replaced, next);
    }

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Ring of {Service} is now epoch {Epoch}: {Members}")]
    private partial void LogRingChanged(string service, long epoch, IReadOnlyList<string> members);
}
