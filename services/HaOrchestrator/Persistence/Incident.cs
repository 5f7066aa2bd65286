namespace CloudBus.HaOrchestrator.Persistence;

/// <summary>A host incident as the API shows it.</summary>
public sealed record Incident(Guid IncidentId, string HostId, DateTimeOffset SuspectedAt, int ConsecutiveMisses, IReadOnlyList<string> Errors, string Status);
