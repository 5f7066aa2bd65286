namespace CloudBus.HaOrchestrator.Persistence;

/// <summary>A VM HA must run again, and why.</summary>
public sealed record RestartRequest(Guid VmId, long Incarnation, string HostId, string Reason, int RestartPriority, string Status, DateTimeOffset RequestedAt);
