namespace CloudBus.Messages.Ha;

/// <summary>Something an operator must look at: HA could not act safely on its own, and says why.</summary>
public sealed record HaAlertRaised
{
    /// <summary>The host or VM the alert is about.</summary>
    public required string Subject { get; init; }
    public required string Message { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
}
