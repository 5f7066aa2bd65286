using CloudBus.Messages.Vms;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// On the queue HaOrchestrator sends the release to, VmLifecycle's command queue
/// (<see cref="VmCommands.QueueName"/>): a release sent before this consumer had a queue of its
/// own is still there to be taken.
/// </summary>
public sealed class ReleaseFencedHostConsumerDefinition : ConsumerDefinition<ReleaseFencedHostConsumer>
{
    public ReleaseFencedHostConsumerDefinition()
    {
        EndpointName = VmCommands.QueueName;
    }
}
