namespace CloudBus.NodeRegistry.Membership;

/// <summary>
/// One evaluation round. A member is missing in a round when it sent no heartbeat since the
/// previous round; it is removed only after <c>missingRoundsBeforeRemoval</c> missing rounds in
/// a row, and a heartbeat in between starts the count again. (ZStack removed a node missing from
/// the database at the first miss.) Pure: the caller passes the times, all from one clock.
/// </summary>
public static class MembershipRound
{
    public static MembershipRoundResult Evaluate(IReadOnlyCollection<MemberState> members, DateTimeOffset previousRoundAt, int missingRoundsBeforeRemoval)
    {
        var missedRounds = new Dictionary<string, int>();
        var removed = new List<string>();
        foreach (var member in members)
        {
            var missed = member.LastHeartbeatAt <= previousRoundAt ? member.MissedRounds + 1 : 0;
            if (missed >= missingRoundsBeforeRemoval) removed.Add(member.InstanceId);
            else missedRounds[member.InstanceId] = missed;
        }

        var rings = members
            .Where(m => missedRounds.ContainsKey(m.InstanceId))
            .GroupBy(m => m.Service)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(m => m.InstanceId).Order(StringComparer.Ordinal).ToList());
        return new MembershipRoundResult(missedRounds, removed, rings);
    }
}
