namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>The broker nodes a quorum queue has a member on, and those of them that are online.</summary>
public sealed record QuorumMembers(IReadOnlyList<string> Members, IReadOnlyList<string> Online);
