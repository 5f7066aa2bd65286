using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Persistence;

/// <summary>A host's status as stored, and why; <see cref="Status"/> is null for a host not stored.</summary>
public sealed record StoredStatus(HostStatus? Status, string Reason);
