using CloudBus.Messages.Vms;

namespace CloudBus.HostMonitor.Tracing;

/// <summary>A VM sync leaves alone. <see cref="ExpiresAt"/> is set once the skip is orphaned.</summary>
public sealed record TraceSkip(
    Guid VmId, string OperatingInstance, Guid OperationId, VmOperationKind Operation, DateTimeOffset SkippedAt,
    DateTimeOffset? OrphanedAt = null, DateTimeOffset? ExpiresAt = null)
{
    public bool IsOrphaned => OrphanedAt is not null;
}
