using CloudBus.Messages.Vms;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>On the queue senders address VM commands to (<see cref="VmCommands.QueueName"/>), shared by every VM command consumer.</summary>
public sealed class VmRecordCommandsConsumerDefinition : ConsumerDefinition<VmRecordCommandsConsumer>
{
    public VmRecordCommandsConsumerDefinition()
    {
        EndpointName = VmCommands.QueueName;
    }
}
