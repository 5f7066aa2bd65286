namespace CloudBus.Messages.Vms;

/// <summary>A fenced host is Down and the VMs that were on it are Stopped; HA restarts the HA-enabled ones.</summary>
public sealed record FencedHostReleased
{
    public required Guid InvestigationId { get; init; }
    public required string HostId { get; init; }
    public required IReadOnlyList<ReleasedVm> Vms { get; init; }
    public required DateTimeOffset ReleasedAt { get; init; }
}
