namespace CloudBus.HaOrchestrator.Investigation;

/// <summary>What one neighbour's readings of a suspect's storage heartbeat show.</summary>
public enum HeartbeatTrend
{
    /// <summary>The neighbour could not read the heartbeat at all.</summary>
    NoAnswer,
    /// <summary>Readings so far neither advanced nor aged past the threshold: keep watching.</summary>
    Inconclusive,
    /// <summary>The sequence grew between readings: the host still writes it, so it is alive.</summary>
    Advancing,
    /// <summary>Not advancing, and last written longer ago than the threshold.</summary>
    Stale,
}
