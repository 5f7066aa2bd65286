namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>A restart this instance claimed for one attempt.</summary>
public sealed record ClaimedRestart(Guid VmId, long Incarnation, string HostId, int Attempts, int RestartPriority, Guid? IncidentId, string? TraceParent);
