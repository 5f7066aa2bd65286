namespace CloudBus.NodeRegistry.Membership;

/// <summary>
/// One evaluation round. A member is missing in a round when it sent no heartbeat since the
/// previous round; it is removed only after <c>missingRoundsBeforeRemoval</c> missing rounds in
/// a row, and a heartbeat in between starts the count again. (ZStack removed a node missing from
/// the database at the first miss.) Pure: the caller passes the times, all from one clock.
/// </summary>
public static class MembershipRound
{
    /// <param name="previousRoundAt">
    /// When this leader evaluated last, or null for the first round of its term (it just took the
    /// lease: at start, after another leader died, or after the database was away). A leader
    /// counts only the rounds it watched, so the first round of a term starts every count from
    /// zero: before it, heartbeats may have gone unrecorded for reasons that are not their
    /// senders' (the database was down, or is only now recording the heartbeats that waited).
    /// </param>
    public static MembershipRoundResult Evaluate(IReadOnlyCollection<MemberState> members, DateTimeOffset? previousRoundAt, int missingRoundsBeforeRemoval)
    {
        var missedRounds = new Dictionary<string, int>();
        var removed = new List<string>();
        foreach (var member in members)
        {
            var missed = previousRoundAt is { } previous && member.LastHeartbeatAt <= previous ? member.MissedRounds + 1 : 0;
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
