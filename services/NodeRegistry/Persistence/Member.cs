namespace CloudBus.NodeRegistry.Persistence;

/// <summary>A live service instance.</summary>
public sealed record Member(string Service, string InstanceId, string Address, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeatAt, int MissedRounds);
