namespace CloudBus.NodeRegistry.Membership;

/// <summary>A member as a membership round sees it.</summary>
public sealed record MemberState(string InstanceId, string Service, DateTimeOffset LastHeartbeatAt, int MissedRounds);
