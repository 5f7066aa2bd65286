using CloudBus.Messages.Vms;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// On the queue senders address VM commands to (<see cref="VmCommands.QueueName"/>), which every
/// VM command consumer shares: which consumer handles a command never changes where it is sent.
/// </summary>
public sealed class VmOperationCommandsConsumerDefinition : ConsumerDefinition<VmOperationCommandsConsumer>
{
    public VmOperationCommandsConsumerDefinition()
    {
        EndpointName = VmCommands.QueueName;
    }
}
