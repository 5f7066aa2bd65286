using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// The one place that decides the type of a queue this service declares. With quorum queues on,
/// every durable endpoint queue is a quorum queue: replicated on the cluster's nodes by Raft and
/// available while a majority of them is up, so a lost node loses no message and stops no consumer. That covers the queues instances of a
/// service compete on, saga queues, and each instance's routed queue (durable on purpose: a survivor
/// drains it after the instance dies, see <c>DepartedQueueDrainer</c>). Their <c>_error</c> and
/// <c>_skipped</c> queues follow without more code: MassTransit declares them with a copy of the
/// endpoint queue's arguments, <c>x-queue-type</c> included.
/// <para>
/// Temporary queues stay classic: a quorum queue must be durable and neither auto-delete nor
/// exclusive, and what they hold need not outlive a node. They are the per-instance queues
/// (<see cref="PerInstanceQueueDefinition{TConsumer}"/>: ring changes, which are announced again every
/// few rounds, and catch-up answers, which are asked for again until one arrives) and the bus's own
/// queue; each lives on the node its instance is connected to, goes with that connection, and is
/// declared again on the node the instance reconnects to.
/// </para>
/// </summary>
public sealed class QueueTypes(RabbitMqQueueType durableQueueType)
{
    /// <summary>Quorum or Classic: the type of every durable queue.</summary>
    public RabbitMqQueueType DurableQueueType { get; } = durableQueueType == RabbitMqQueueType.Auto
        ? throw new ArgumentException("Resolve Auto first (RabbitMqOptions.DurableQueueType).", nameof(durableQueueType))
        : durableQueueType;

    /// <summary>
    /// Call while a receive endpoint is configured, after its durability is set. A classic queue is
    /// declared without <c>x-queue-type</c>, as before quorum queues existed here: naming the classic
    /// type would make RabbitMQ refuse every queue already declared without it.
    /// </summary>
    public void Apply(IReceiveEndpointConfigurator endpoint)
    {
        if (DurableQueueType != RabbitMqQueueType.Quorum) return;
        if (endpoint is IRabbitMqReceiveEndpointConfiguration { Settings: { Durable: true, AutoDelete: false, Exclusive: false } }
            && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.SetQuorumQueue();
    }
}
