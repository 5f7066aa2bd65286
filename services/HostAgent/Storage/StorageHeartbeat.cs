namespace CloudBus.HostAgent.Storage;

/// <summary>The content of <c>&lt;hostId&gt;.heartbeat</c> on shared storage.</summary>
public sealed record StorageHeartbeat(string HostId, long Sequence, DateTimeOffset WrittenAt);
