using CloudBus.Messages.Ha;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>
/// Investigations wait on neighbours for up to the heartbeat timeout, so many run at once; the
/// queue is the one <see cref="HaCommands"/> names.
/// </summary>
public sealed class InvestigateHostConsumerDefinition : ConsumerDefinition<InvestigateHostConsumer>
{
    public InvestigateHostConsumerDefinition()
    {
        EndpointName = HaCommands.InvestigateHostQueue;
        ConcurrentMessageLimit = 64;
    }
}
