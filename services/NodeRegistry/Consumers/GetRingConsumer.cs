using CloudBus.Messages.Routing;
using CloudBus.NodeRegistry.Membership;
using CloudBus.NodeRegistry.Persistence;
using MassTransit;

namespace CloudBus.NodeRegistry.Consumers;

/// <summary>Answers a starting instance with its service's current ring (epoch 0 and no members before the first round).</summary>
public sealed class GetRingConsumer(RingStore rings, TimeProvider clock) : IConsumer<GetRing>
{
    public async Task Consume(ConsumeContext<GetRing> context)
    {
        var ring = await rings.GetAsync(context.Message.Service, context.CancellationToken)
                   ?? new StoredRing(context.Message.Service, 0, [], CloudBus.Ring.RingDefaults.VirtualNodesPerMember, clock.GetUtcNow());
        await context.RespondAsync(MembershipEvaluator.ToMessage(ring));
    }
}
