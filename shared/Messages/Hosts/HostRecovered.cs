namespace CloudBus.Messages.Hosts;

/// <summary>A suspect host answered a ping again.</summary>
public sealed record HostRecovered
{
    public required string HostId { get; init; }
    public required DateTimeOffset RecoveredAt { get; init; }
}
