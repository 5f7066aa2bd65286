using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Storage;

/// <summary>
/// The content of <c>&lt;hostId&gt;.heartbeat</c> on shared storage. The host also states its
/// self-fence time, so whoever reads the heartbeat knows how long its silence must last to prove
/// the host's VMs dead, and whether a watchdog backs that self-fence (so it holds even if the
/// agent hangs or dies). Both are null in heartbeats written before the fields existed.
/// </summary>
public sealed record StorageHeartbeat(string HostId, long Sequence, DateTimeOffset WrittenAt, TimeSpan? SelfFenceAfter = null, bool? Watchdog = null)
{
    /// <summary>This heartbeat as a neighbour reading it at <paramref name="now"/> sees it.</summary>
    public NeighbourHeartbeat ReadAt(DateTimeOffset now) => new(HostId, Sequence, WrittenAt, now - WrittenAt, SelfFenceAfter, Watchdog);
}
