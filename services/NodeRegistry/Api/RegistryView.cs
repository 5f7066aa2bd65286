namespace CloudBus.NodeRegistry.Api;

/// <summary>What <c>GET /registry</c> answers: this instance, whether it leads, and the leader's lease (nulls before any leader).</summary>
public sealed record RegistryView(string InstanceId, bool IsLeader, string? Leader, DateTimeOffset? LeaderSince, DateTimeOffset? LeaderRenewedAt);
