using CloudBus.NodeRegistry.Membership;

namespace CloudBus.UnitTests.NodeRegistry;

public sealed class MembershipRoundTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(2);

    /// <summary>Runs rounds at T0+2s, T0+4s, ... feeding each round's missed counts into the next.</summary>
    private static List<MembershipRoundResult> Rounds(int count, Func<int, IEnumerable<(string Id, string Service, DateTimeOffset LastHeartbeat)>> membersAtRound, int k = 2)
    {
        var results = new List<MembershipRoundResult>();
        var missed = new Dictionary<string, int>();
        var removed = new HashSet<string>();
        for (var round = 1; round <= count; round++)
        {
            var members = membersAtRound(round).Where(m => !removed.Contains(m.Id))
                .Select(m => new MemberState(m.Id, m.Service, m.LastHeartbeat, missed.GetValueOrDefault(m.Id))).ToList();
            var result = MembershipRound.Evaluate(members, T0 + Round * (round - 1), k);
            missed = new Dictionary<string, int>(result.MissedRounds);
            removed.UnionWith(result.Removed);
            results.Add(result);
        }
        return results;
    }

    [Fact]
    public void A_member_is_removed_only_after_two_rounds_in_a_row_without_a_heartbeat()
    {
        // "b" heartbeats until just after T0, then falls silent.
        var results = Rounds(3, round => [("a", "host-monitor", T0 + Round * round - TimeSpan.FromMilliseconds(100)), ("b", "host-monitor", T0 + TimeSpan.FromMilliseconds(10))]);

        Assert.Empty(results[0].Removed);                       // heartbeat since the previous round
        Assert.Empty(results[1].Removed);                       // first missing round: not removed
        Assert.Equal(1, results[1].MissedRounds["b"]);
        Assert.Equal(["b"], results[2].Removed);                // second in a row: removed
        Assert.Equal(["a"], results[2].RingMembers["host-monitor"]);
    }

    [Fact]
    public void A_heartbeat_between_two_missing_rounds_keeps_the_member()
    {
        // "b" misses round 2, heartbeats before round 3, misses round 4: never two in a row.
        var results = Rounds(4, round => [("b", "host-monitor", round switch
        {
            1 => T0 + TimeSpan.FromSeconds(1),
            2 => T0 + TimeSpan.FromSeconds(1),
            3 => T0 + TimeSpan.FromSeconds(5),
            _ => T0 + TimeSpan.FromSeconds(5),
        })]);

        Assert.All(results, r => Assert.Empty(r.Removed));
        Assert.Equal([0, 1, 0, 1], results.Select(r => r.MissedRounds["b"]));
    }

    [Fact]
    public void Removal_after_a_configured_number_of_rounds()
    {
        var results = Rounds(4, _ => [("b", "vm-lifecycle", T0 - TimeSpan.FromSeconds(1))], k: 4);
        Assert.Equal([false, false, false, true], results.Select(r => r.Removed.Contains("b")));
    }

    [Fact]
    public void The_first_round_of_a_leaders_term_counts_nobody_missing_and_starts_every_count_afresh()
    {
        // The database was away for a while: nobody's heartbeat was recorded, and the last leader
        // had already counted one miss for each. The new term removes no one for that.
        var silentSince = T0 - TimeSpan.FromSeconds(30);
        var first = MembershipRound.Evaluate(
            [new MemberState("a", "host-monitor", silentSince, 1), new MemberState("b", "vm-lifecycle", silentSince, 1)], previousRoundAt: null, 2);

        Assert.Empty(first.Removed);
        Assert.Equal([0, 0], first.MissedRounds.Values);
        Assert.Equal(["a"], first.RingMembers["host-monitor"]);

        // From then on, the rounds this leader watched count: "a" heartbeats again, "b" stays silent.
        var second = MembershipRound.Evaluate(
            [new MemberState("a", "host-monitor", T0 + TimeSpan.FromSeconds(1), 0), new MemberState("b", "vm-lifecycle", silentSince, 0)], T0, 2);
        var third = MembershipRound.Evaluate(
            [new MemberState("a", "host-monitor", T0 + TimeSpan.FromSeconds(3), 0), new MemberState("b", "vm-lifecycle", silentSince, 1)], T0 + Round, 2);

        Assert.Equal((0, 1), (second.MissedRounds["a"], second.MissedRounds["b"]));
        Assert.Equal(["b"], third.Removed);
    }

    [Fact]
    public void Rings_group_members_by_service_in_a_stable_order()
    {
        var result = MembershipRound.Evaluate(
        [
            new MemberState("hm-2", "host-monitor", T0, 0), new MemberState("vl-1", "vm-lifecycle", T0, 0), new MemberState("hm-1", "host-monitor", T0, 0),
        ], T0 - Round, 2);

        Assert.Equal(["hm-1", "hm-2"], result.RingMembers["host-monitor"]);
        Assert.Equal(["vl-1"], result.RingMembers["vm-lifecycle"]);
    }
}
