using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Persistence;

/// <summary>A watched host as stored, with its status and why; its agent addresses in the order they are tried.</summary>
public sealed record StoredHost(string HostId, IReadOnlyList<Uri> AgentAddresses, string Cluster, HostStatus Status, string StatusReason);
