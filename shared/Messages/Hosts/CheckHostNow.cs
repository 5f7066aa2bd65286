namespace CloudBus.Messages.Hosts;

/// <summary>
/// An operator asks for a host to be pinged now rather than at the next interval. Routed on the
/// HostMonitor ring to the instance that owns the host.
/// </summary>
public sealed record CheckHostNow
{
    public required string HostId { get; init; }
    /// <summary>The ring epoch the sender routed with.</summary>
    public required long RingEpoch { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
