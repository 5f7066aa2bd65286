namespace CloudBus.Messages.Hosts;

/// <summary>An operator put a host into maintenance (not pinged, takes no VMs) or took it out.</summary>
public sealed record HostMaintenanceChanged
{
    public required string HostId { get; init; }
    public required bool InMaintenance { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
