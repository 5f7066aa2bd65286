namespace CloudBus.Messages.Hosts;

/// <summary>
/// A host missed enough consecutive pings to be investigated. Suspicion is not a verdict: nothing
/// may be restarted on the strength of this message alone.
/// </summary>
public sealed record HostSuspected
{
    public required string HostId { get; init; }
    public required DateTimeOffset? LastGoodPingAt { get; init; }
    public required int ConsecutiveMisses { get; init; }
    /// <summary>The errors of the missed pings, newest last.</summary>
    public required IReadOnlyList<string> Errors { get; init; }
    public required DateTimeOffset SuspectedAt { get; init; }
}
