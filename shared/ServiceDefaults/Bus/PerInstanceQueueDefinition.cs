using MassTransit;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// For a consumer every instance must hear (a catch-up's answer, a ring change): each instance
/// gets a queue of its own, named with its instance id, that goes away with it. A shared durable
/// queue would give each message to one instance only.
/// </summary>
public sealed class PerInstanceQueueDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public PerInstanceQueueDefinition(ServiceIdentity identity)
    {
        Endpoint(endpoint =>
        {
            endpoint.InstanceId = identity.InstanceId;
            endpoint.Temporary = true;
        });
    }
}
