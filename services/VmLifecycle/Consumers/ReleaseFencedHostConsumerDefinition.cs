using CloudBus.Messages.Vms;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// On the queue HaOrchestrator sends the release to (<see cref="VmCommands.QueueName"/>, shared by
/// every VM command consumer). A queue of its own would strand releases already sent to this one,
/// and a stranded release is a fenced host whose VMs are never restarted.
/// </summary>
public sealed class ReleaseFencedHostConsumerDefinition : ConsumerDefinition<ReleaseFencedHostConsumer>
{
    public ReleaseFencedHostConsumerDefinition()
    {
        EndpointName = VmCommands.QueueName;
    }
}
