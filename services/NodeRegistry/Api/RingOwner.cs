namespace CloudBus.NodeRegistry.Api;

/// <summary>What <c>GET /rings/{service}/owner/{resourceId}</c> answers: the instance whose share of the ring holds the resource (none while the ring has no members).</summary>
public sealed record RingOwner(string Service, string ResourceId, string? Owner, long Epoch);
