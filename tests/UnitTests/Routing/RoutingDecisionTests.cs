using CloudBus.Ring;
using CloudBus.ServiceDefaults.Routing;

namespace CloudBus.UnitTests.Routing;

public sealed class RoutingDecisionTests
{
    private static readonly string[] Members = ["hm-a", "hm-b", "hm-c"];
    private static readonly RingSnapshot Ring = new("host-monitor", 7, new HashRing(Members, 100));
    private const string Resource = "host-42";
    private static readonly string Owner = Ring.OwnerOf(Resource)!;
    private static readonly string NotOwner = Members.First(m => m != Owner);

    [Fact]
    public void The_owner_handles_its_own_resource() =>
        Assert.Null(RoutingDecision.ForwardTo(Ring, Owner, Resource, routedEpoch: 7));

    [Fact]
    public void A_non_owner_with_a_newer_or_equal_ring_forwards_to_the_owner()
    {
        Assert.Equal(Owner, RoutingDecision.ForwardTo(Ring, NotOwner, Resource, routedEpoch: 3));
        Assert.Equal(Owner, RoutingDecision.ForwardTo(Ring, NotOwner, Resource, routedEpoch: 7));
    }

    [Fact]
    public void A_sender_with_a_newer_ring_is_trusted_so_the_command_is_handled_not_bounced() =>
        Assert.Null(RoutingDecision.ForwardTo(Ring, NotOwner, Resource, routedEpoch: 8));

    [Fact]
    public void Before_any_ring_is_known_the_command_is_handled_rather_than_dropped() =>
        Assert.Null(RoutingDecision.ForwardTo(RingSnapshot.Empty("host-monitor"), "hm-a", Resource, routedEpoch: 0));
}
