using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>A restart as the API shows it.</summary>
public sealed record RestartView(
    Guid VmId, long Incarnation, string HostId, string Reason, int RestartPriority, RestartStatus Status, int Attempts,
    DateTimeOffset RequestedAt, DateTimeOffset NextAttemptAt, string? LastError, string? RestartedOn, Guid? IncidentId, string? ClaimedBy, DateTimeOffset UpdatedAt);
