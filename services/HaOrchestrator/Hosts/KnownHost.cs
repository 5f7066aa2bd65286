using CloudBus.Messages.Hosts;

namespace CloudBus.HaOrchestrator.Hosts;

/// <summary>
/// A host as HA needs it: where its agent and BMC are (every address, in the order they are tried;
/// no BMC address when it has none), its cluster, and how HostMonitor sees it. <paramref name="BmcGuid"/>
/// is the identity its BMC is bound to (null until first read); <paramref name="BmcChangedAt"/> when an
/// admin (<paramref name="BmcChangedBy"/>) last changed its BMC after registering it.
/// </summary>
public sealed record KnownHost(
    string HostId, IReadOnlyList<Uri> AgentAddresses, string Cluster, IReadOnlyList<string> BmcAddresses, HostStatus Status,
    string? BmcGuid = null, DateTimeOffset? BmcChangedAt = null, string? BmcChangedBy = null)
{
    /// <summary>
    /// Until when fencing through the BMC waits for an operator after an admin changed it
    /// (<c>Ha:BmcChangeNeedsApprovalFor</c>); null when it does not (any more, or it has no BMC).
    /// </summary>
    public DateTimeOffset? FencingNeedsApprovalUntil(TimeSpan holdAfterChange, DateTimeOffset now) =>
        BmcChangedAt + holdAfterChange is { } until && until > now && BmcAddresses.Count > 0 ? until : null;
}
