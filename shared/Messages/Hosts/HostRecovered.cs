namespace CloudBus.Messages.Hosts;

/// <summary>A host that was Suspect, Disconnected or Down answers pings again.</summary>
public sealed record HostRecovered
{
    public required string HostId { get; init; }
    public required DateTimeOffset RecoveredAt { get; init; }
}
