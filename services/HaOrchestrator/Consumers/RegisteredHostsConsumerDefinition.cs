using CloudBus.ServiceDefaults;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>
/// Every instance hears the answer to a catch-up, each on a queue of its own (named with its
/// instance id) that goes away with it; a shared durable queue would give the answer to one
/// instance only.
/// </summary>
public sealed class RegisteredHostsConsumerDefinition : ConsumerDefinition<RegisteredHostsConsumer>
{
    public RegisteredHostsConsumerDefinition(ServiceIdentity identity)
    {
        Endpoint(endpoint =>
        {
            endpoint.InstanceId = identity.InstanceId;
            endpoint.Temporary = true;
        });
    }
}
