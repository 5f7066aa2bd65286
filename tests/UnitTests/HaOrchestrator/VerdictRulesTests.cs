using CloudBus.HaOrchestrator.Investigation;
using CloudBus.Messages.Ha;

namespace CloudBus.UnitTests.HaOrchestrator;

public sealed class VerdictRulesTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    private static HeartbeatWatch Advancing(string id, bool? reaches = false)
    {
        var watch = new HeartbeatWatch(id, StaleAfter) { ReachesSuspect = reaches };
        watch.Read(10, TimeSpan.FromSeconds(1));
        watch.Read(11, TimeSpan.FromSeconds(0.5));
        return watch;
    }

    private static HeartbeatWatch Stale(string id, bool? reaches = false)
    {
        var watch = new HeartbeatWatch(id, StaleAfter) { ReachesSuspect = reaches };
        watch.Read(10, TimeSpan.FromSeconds(6));
        watch.Read(10, TimeSpan.FromSeconds(10.5));
        return watch;
    }

    private static HeartbeatWatch Silent(string id)
    {
        var watch = new HeartbeatWatch(id, StaleAfter);
        watch.Failed("no answer");
        return watch;
    }

    [Fact]
    public void A_direct_answer_is_alive_whatever_the_neighbours_say()
    {
        var verdict = VerdictRules.Decide(answeredDirectly: true, [Stale("n1"), Stale("n2")]);
        Assert.Equal(HostVerdict.Alive, verdict.Value);
    }

    [Fact]
    public void A_heartbeat_advancing_on_every_neighbour_that_answered_is_alive()
    {
        Assert.Equal(HostVerdict.Alive, VerdictRules.Decide(false, [Advancing("n1"), Advancing("n2"), Silent("n3")]).Value);
    }

    [Fact]
    public void A_heartbeat_stale_on_every_neighbour_that_answered_with_none_reaching_it_is_down()
    {
        var verdict = VerdictRules.Decide(false, [Stale("n1"), Stale("n2"), Silent("n3")]);
        Assert.Equal(HostVerdict.Down, verdict.Value);
        Assert.Contains("stale on all 2", verdict.Reason);
    }

    [Fact]
    public void Fewer_answers_than_a_majority_of_the_neighbours_asked_is_undetermined()
    {
        var verdict = VerdictRules.Decide(false, [Stale("n1"), Silent("n2"), Silent("n3")]);
        Assert.Equal(HostVerdict.Undetermined, verdict.Value);
        Assert.Contains("only 1 of 3", verdict.Reason);
    }

    [Fact]
    public void No_neighbour_at_all_is_undetermined()
    {
        Assert.Equal(HostVerdict.Undetermined, VerdictRules.Decide(false, []).Value);
    }

    [Fact]
    public void Neighbours_that_disagree_are_undetermined()
    {
        Assert.Equal(HostVerdict.Undetermined, VerdictRules.Decide(false, [Stale("n1"), Advancing("n2"), Stale("n3")]).Value);
    }

    [Fact]
    public void A_stale_heartbeat_on_a_host_a_neighbour_still_reaches_is_undetermined()
    {
        Assert.Equal(HostVerdict.Undetermined, VerdictRules.Decide(false, [Stale("n1", reaches: true), Stale("n2")]).Value);
    }

    [Fact]
    public void A_heartbeat_neither_advancing_nor_old_enough_yet_does_not_count_as_an_answer()
    {
        var young = new HeartbeatWatch("n1", StaleAfter);
        young.Read(10, TimeSpan.FromSeconds(3));
        young.Read(10, TimeSpan.FromSeconds(4));
        Assert.Equal(HeartbeatTrend.Inconclusive, young.Trend);
        Assert.False(young.IsSettled);
        Assert.Equal(HostVerdict.Undetermined, VerdictRules.Decide(false, [young]).Value);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    public void Quorum_is_a_majority_of_the_neighbours_asked(int asked, int quorum) =>
        Assert.Equal(quorum, VerdictRules.Quorum(asked));
}
