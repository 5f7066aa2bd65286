namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// Another host's storage heartbeat as a neighbour read it. <see cref="Age"/> is measured with the
/// reading agent's clock; it can be slightly negative if the writer's clock runs ahead.
/// </summary>
public sealed record NeighbourHeartbeat(string HostId, long Sequence, DateTimeOffset WrittenAt, TimeSpan Age, TimeSpan? SelfFenceAfter = null, bool? Watchdog = null);
