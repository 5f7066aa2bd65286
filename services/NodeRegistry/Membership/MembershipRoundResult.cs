namespace CloudBus.NodeRegistry.Membership;

/// <summary>
/// What one round decided: each remaining member's count of missed rounds, who is removed, and the
/// members of each service's ring (sorted instance ids).
/// </summary>
public sealed record MembershipRoundResult(
    IReadOnlyDictionary<string, int> MissedRounds,
    IReadOnlyList<string> Removed,
    IReadOnlyDictionary<string, IReadOnlyList<string>> RingMembers);
