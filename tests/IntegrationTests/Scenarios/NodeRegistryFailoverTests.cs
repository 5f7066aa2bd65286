using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>Two NodeRegistry replicas: kill the leader and the other takes over evaluating membership.</summary>
public sealed class NodeRegistryFailoverTests(TwoRegistriesStack stack) : IClassFixture<TwoRegistriesStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_the_leader_is_killed_the_other_replica_leads_and_removes_it_from_the_ring()
    {
        var views = await Eventually.ReturnsAsync(() => Task.WhenAll(stack.NodeRegistries.Select(r => stack.GetAsync<RegistryView>(r, "registry"))),
            v => v.Count(x => x.IsLeader) == 1, Timeout, "exactly one leader");
        var leaderIndex = Array.FindIndex(views, v => v.IsLeader);
        var leader = stack.NodeRegistries[leaderIndex];
        var follower = stack.NodeRegistries[1 - leaderIndex];
        var leaderId = views[leaderIndex].InstanceId;
        var ringWithBoth = await Eventually.ReturnsAsync(() => stack.GetAsync<RingView>(follower, "rings/node-registry"),
            ring => ring.Members.Contains(leaderId) && ring.Members.Count == 2, Timeout, "both replicas in the node-registry ring");

        leader.Kill();

        var after = await Eventually.ReturnsAsync(() => stack.GetAsync<RegistryView>(follower, "registry"),
            v => v.IsLeader && v.Leader == v.InstanceId, Timeout, "the surviving replica to lead");
        Assert.Equal(views[1 - leaderIndex].InstanceId, after.InstanceId);

        // The new leader evaluates: the dead one misses two rounds and leaves the ring, with a newer epoch.
        var ringAfter = await Eventually.ReturnsAsync(() => stack.GetAsync<RingView>(follower, "rings/node-registry"),
            ring => !ring.Members.Contains(leaderId), Timeout, "the killed leader to leave the ring");
        Assert.True(ringAfter.Epoch > ringWithBoth.Epoch, $"epoch {ringAfter.Epoch} should be newer than {ringWithBoth.Epoch}");
        Assert.Equal([after.InstanceId], ringAfter.Members);
    }

    private sealed record RegistryView(string InstanceId, bool IsLeader, string? Leader);

    private sealed record RingView(string Service, long Epoch, IReadOnlyList<string> Members);
}
