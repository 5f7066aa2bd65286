using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Persistence;

/// <summary>A watched host as stored, with its status and why.</summary>
public sealed record StoredHost(string HostId, Uri AgentAddress, string Cluster, HostStatus Status, string StatusReason);
