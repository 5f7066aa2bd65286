using CloudBus.Messages.Routing;
using CloudBus.NodeRegistry.Membership;
using CloudBus.NodeRegistry.Persistence;
using MassTransit;

namespace CloudBus.NodeRegistry.Consumers;

/// <summary>
/// A starting instance asks for its service's ring: announce it (RingChanged, to every instance of
/// that service) rather than reply, so no answer is ever addressed to an instance that may be gone.
/// Before the first round there is no ring yet; the instance asks again.
/// </summary>
public sealed class GetRingConsumer(RingStore rings) : IConsumer<GetRing>
{
    public async Task Consume(ConsumeContext<GetRing> context)
    {
        if (await rings.GetAsync(context.Message.Service, context.CancellationToken) is { } ring)
            await context.Publish(MembershipEvaluator.ToMessage(ring));
    }
}
