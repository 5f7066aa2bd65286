namespace CloudBus.HostMonitor.Monitoring;

/// <summary>A host's state as the API shows it.</summary>
public sealed record HostSnapshot(
    string HostId, IReadOnlyList<string> AgentAddresses, string Cluster, string Status, string Reason,
    DateTimeOffset? LastGoodPingAt, int ConsecutiveMisses, long Pings, IReadOnlyList<string> RecentErrors);
