namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>A VM HA must run again, and why; <see cref="IncidentId"/> ties it to its host's incident (null for a VM that stopped on a live host).</summary>
public sealed record RestartRequest(Guid VmId, long Incarnation, string HostId, string Reason, int RestartPriority, DateTimeOffset RequestedAt, Guid? IncidentId);
