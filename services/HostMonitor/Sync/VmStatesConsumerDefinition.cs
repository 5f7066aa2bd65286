using CloudBus.ServiceDefaults;
using MassTransit;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// Every instance hears the answer to a catch-up, each on a queue of its own (named with its
/// instance id) that goes away with it; the shared durable queues of the other consumers would
/// give the answer to one instance only.
/// </summary>
public sealed class VmStatesConsumerDefinition : ConsumerDefinition<VmStatesConsumer>
{
    public VmStatesConsumerDefinition(ServiceIdentity identity)
    {
        Endpoint(endpoint =>
        {
            endpoint.InstanceId = identity.InstanceId;
            endpoint.Temporary = true;
        });
    }
}
