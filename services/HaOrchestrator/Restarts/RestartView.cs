using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>A restart as the API shows it.</summary>
/// <param name="Attempts">Attempts that count toward the limit.</param>
/// <param name="Waits">Starts refused while the VM was Unknown, which do not count (see <see cref="RestartPolicy"/>).</param>
public sealed record RestartView(
    Guid VmId, long Incarnation, string HostId, string Reason, int RestartPriority, RestartStatus Status, int Attempts, int Waits,
    DateTimeOffset RequestedAt, DateTimeOffset NextAttemptAt, string? LastError, string? RestartedOn, Guid? IncidentId, string? ClaimedBy, DateTimeOffset UpdatedAt);
