using MassTransit;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// The broker's refusals (negative publisher confirms) of what this instance publishes and sends,
/// as episodes: refusals with no pause of <see cref="QuietGap"/> between them. A healthy broker
/// refuses nothing here (no queue limits reject), and a failover refuses for a moment. But after a
/// broker node was killed, the surviving node went on refusing, for minutes, every message one
/// channel sent to some quorum queues while it took others, and MassTransit kept that channel: the
/// service's outbox retried one refused message for ever, and the ends of the VM restarts behind it
/// never went out (ControlPlaneFailoverTests). <see cref="BusRecycler"/> watches these episodes.
/// </summary>
public sealed class BrokerRefusals(TimeProvider clock) : IPublishObserver, ISendObserver
{
    /// <summary>A pause this long without a refusal ends an episode.</summary>
    public static readonly TimeSpan QuietGap = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private DateTimeOffset? _episodeStart;
    private DateTimeOffset? _lastRefusal;

    /// <summary>Whether <paramref name="exception"/> is the broker refusing a message (not a return, not a lost connection).</summary>
    public static bool IsRefusal(Exception? exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
            if (cause is RabbitMQ.Client.Exceptions.PublishException { IsReturn: false }) return true;
        return false;
    }

    /// <summary>Counts <paramref name="exception"/> if it is a refusal.</summary>
    public void Record(Exception exception)
    {
        if (!IsRefusal(exception)) return;
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_lastRefusal is not { } last || now - last > QuietGap) _episodeStart = now;
            _lastRefusal = now;
        }
    }

    /// <summary>How long the current episode has lasted; null when none is going on.</summary>
    public TimeSpan? EpisodeLength()
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            return _lastRefusal is { } last && _episodeStart is { } start && now - last <= QuietGap ? last - start : null;
        }
    }

    /// <summary>Ends the current episode (the bus was recycled: what comes next is counted afresh).</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _episodeStart = null;
            _lastRefusal = null;
        }
    }

    Task IPublishObserver.PrePublish<T>(PublishContext<T> context) => Task.CompletedTask;
    Task IPublishObserver.PostPublish<T>(PublishContext<T> context) => Task.CompletedTask;

    Task IPublishObserver.PublishFault<T>(PublishContext<T> context, Exception exception)
    {
        Record(exception);
        return Task.CompletedTask;
    }

    Task ISendObserver.PreSend<T>(SendContext<T> context) => Task.CompletedTask;
    Task ISendObserver.PostSend<T>(SendContext<T> context) => Task.CompletedTask;

    Task ISendObserver.SendFault<T>(SendContext<T> context, Exception exception)
    {
        Record(exception);
        return Task.CompletedTask;
    }
}
