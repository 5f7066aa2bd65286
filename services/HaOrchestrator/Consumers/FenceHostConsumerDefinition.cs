using CloudBus.Messages.Ha;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>Fencing waits on BMCs and heartbeats, so several run at once; the queue is the one <see cref="HaCommands"/> names.</summary>
public sealed class FenceHostConsumerDefinition : ConsumerDefinition<FenceHostConsumer>
{
    public FenceHostConsumerDefinition()
    {
        EndpointName = HaCommands.FenceHostQueue;
        ConcurrentMessageLimit = 32;
    }
}
