namespace CloudBus.Messages.Ha;

/// <summary>No fencing step could prove the host fenced: nothing may be restarted.</summary>
public sealed record HostFencingFailed
{
    public required Guid InvestigationId { get; init; }
    public required string HostId { get; init; }
    public required int Attempt { get; init; }
    /// <summary>What each step tried and why it did not prove anything.</summary>
    public required IReadOnlyList<string> Evidence { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}
