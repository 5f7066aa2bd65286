namespace CloudBus.NodeRegistry.Api;

/// <summary>What <c>GET /rings/{service}/owner/{resourceId}</c> answers: who owns the resource at which epoch (null on an empty ring).</summary>
public sealed record RingOwner(string Service, string ResourceId, string? Owner, long Epoch);
