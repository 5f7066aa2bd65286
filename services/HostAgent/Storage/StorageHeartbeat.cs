namespace CloudBus.HostAgent.Storage;

/// <summary>
/// The content of <c>&lt;hostId&gt;.heartbeat</c> on shared storage. The host also states its
/// self-fence time, so whoever reads the heartbeat knows how long its silence must last to prove
/// the host's VMs dead (null in heartbeats written before the field existed).
/// </summary>
public sealed record StorageHeartbeat(string HostId, long Sequence, DateTimeOffset WrittenAt, TimeSpan? SelfFenceAfter = null);
