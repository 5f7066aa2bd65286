namespace CloudBus.Messages.Hosts;

/// <summary>HostMonitor changed its view of a host, and says why.</summary>
public sealed record HostStatusChanged
{
    public required string HostId { get; init; }
    public required HostStatus From { get; init; }
    public required HostStatus To { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
