namespace CloudBus.Messages.Ha;

/// <summary>
/// A host under investigation answers pings again (HostMonitor's <c>HostRecovered</c>, routed by
/// HaOrchestrator to the investigation of each open incident of the host).
/// </summary>
public sealed record SuspectRecovered
{
    public required Guid InvestigationId { get; init; }
    public required string HostId { get; init; }
    public required DateTimeOffset RecoveredAt { get; init; }
}
