using CloudBus.Ring;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// When an instance leaves the ring, commands may still sit in its routed queue (sent just before
/// it died, or by a sender whose ring was a moment old). One survivor, the departed instance's own
/// owner on the new ring so that exactly one is chosen, consumes that queue for a while with the
/// same consumers; they forward each command to its new owner or handle it. Afterwards nobody
/// consumes the queue and RabbitMQ deletes it once <see cref="RoutedQueue.Expiration"/> passes.
/// </summary>
public sealed partial class DepartedQueueDrainer(
    ServiceIdentity identity,
    IServiceProvider services,
    IEnumerable<RoutedConsumerType> routedConsumers,
    QueueTypes queueTypes,
    TimeProvider clock,
    ILogger<DepartedQueueDrainer> logger) : IRingObserver
{
    /// <summary>How long a departed instance's queue is consumed: longer than any sender can keep a stale ring.</summary>
    public static readonly TimeSpan DrainWindow = TimeSpan.FromSeconds(60);

    private readonly Type[] _consumers = routedConsumers.Select(c => c.ConsumerType).ToArray();

    public async Task RingAdvancedAsync(RingSnapshot previous, RingSnapshot current)
    {
        if (_consumers.Length == 0) return;
        foreach (var departed in previous.Ring.Members.Except(current.Ring.Members))
        {
            if (current.OwnerOf(departed) != identity.InstanceId) continue;
            var connector = services.GetRequiredService<IReceiveEndpointConnector>();
            var handle = connector.ConnectReceiveEndpoint(RoutedQueue.NameFor(departed), (context, endpoint) =>
            {
                RoutedQueue.Configure(endpoint, queueTypes);
                foreach (var consumer in _consumers) endpoint.ConfigureConsumer(context, consumer);
            });
            await handle.Ready;
            LogDraining(departed, current.Epoch, DrainWindow.TotalSeconds);
            _ = StopLaterAsync(handle, departed);
        }
    }

    private async Task StopLaterAsync(HostReceiveEndpointHandle handle, string departed)
    {
        await Task.Delay(DrainWindow, clock);
        await handle.StopAsync();
        LogDrained(departed);
    }

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "Draining the routed queue of departed instance {Departed} (ring epoch {Epoch}) for {Seconds} s")]
    private partial void LogDraining(string departed, long epoch, double seconds);

    [LoggerMessage(EventId = 124, Level = LogLevel.Information, Message = "Stopped draining the routed queue of departed instance {Departed}")]
    private partial void LogDrained(string departed);
}
