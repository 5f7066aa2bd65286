using CloudBus.ServiceDefaults.Bus;
using MassTransit;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>The queue of one instance for commands routed to it on its service's ring.</summary>
public static class RoutedQueue
{
    /// <summary>
    /// RabbitMQ deletes a routed queue this long after its last consumer left: the queue of a dead
    /// instance goes away once survivors have drained it. Owner and drainer must declare the same.
    /// </summary>
    public static readonly TimeSpan Expiration = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Declares the queue the same way wherever it is consumed (RabbitMQ refuses a second, different
    /// declaration): with its expiration, and as a quorum queue when durable queues are (a departed
    /// instance's queue must still be there for the survivor that drains it when a broker node is lost).
    /// </summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, QueueTypes queueTypes)
    {
        queueTypes.Apply(endpoint);
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.QueueExpiration = Expiration;
    }

    public static string NameFor(string instanceId) => $"{instanceId}-routed";

    /// <summary>
    /// Where to send a command for an instance: the exchange of the same name that MassTransit binds
    /// to the queue. Sending to <c>queue:</c> would declare the queue again without its expiration,
    /// which RabbitMQ refuses for an existing queue.
    /// </summary>
    public static Uri AddressFor(string instanceId) => new($"exchange:{NameFor(instanceId)}");
}
