namespace CloudBus.NodeRegistry.Persistence;

/// <summary>A service's ring as stored.</summary>
public sealed record StoredRing(string Service, long Epoch, IReadOnlyList<string> Members, int VirtualNodesPerMember, DateTimeOffset ChangedAt);
