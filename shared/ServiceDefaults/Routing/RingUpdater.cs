using CloudBus.Messages.Routing;
using CloudBus.Ring;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// The one place a new ring is taken in, from a RingChanged message (announced on a change, on
/// request at start, and every few rounds): swap it in if newer, and tell the observers (the
/// departed queues' drainer, and whatever else the service settles when members leave).
/// </summary>
public sealed partial class RingUpdater(RingHolder ring, IEnumerable<IRingObserver> observers, ILogger<RingUpdater> logger)
{
    public async Task ApplyAsync(RingChanged message)
    {
        if (message.Service != ring.Service) return;
        var next = new RingSnapshot(message.Service, message.Epoch, new HashRing(message.Members, message.VirtualNodesPerMember));
        if (!ring.TryAdvance(next, out var replaced)) return;
        LogRingChanged(message.Service, message.Epoch, message.Members);
        foreach (var observer in observers)
        {
            try
            {
                await observer.RingAdvancedAsync(replaced, next);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The ring itself is taken: an observer that failed (database away) catches up on its own.
                LogObserverFailed(exception, observer.GetType().Name, next.Epoch);
            }
        }
    }

    [LoggerMessage(EventId = 125, Level = LogLevel.Warning, Message = "{Observer} failed to follow ring epoch {Epoch}")]
    private partial void LogObserverFailed(Exception exception, string observer, long epoch);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Ring of {Service} is now epoch {Epoch}: {Members}")]
    private partial void LogRingChanged(string service, long epoch, IReadOnlyList<string> members);
}
