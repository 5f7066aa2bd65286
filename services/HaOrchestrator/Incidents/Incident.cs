using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Incidents;

/// <summary>A host incident as the API shows it, with its timeline when asked for one incident.</summary>
public sealed record Incident(
    Guid IncidentId, string HostId, string? Cluster, DateTimeOffset SuspectedAt, int ConsecutiveMisses, IReadOnlyList<string> Errors,
    IncidentStatus Status, HostVerdict? Verdict, string? TraceId, DateTimeOffset? ClosedAt, IReadOnlyList<IncidentStep> Timeline);
