namespace CloudBus.Messages.Vms;

/// <summary>
/// HaOrchestrator proved a host fenced: mark it Down and every VM on it Stopped, releasing its
/// capacity (send to <see cref="VmCommands.Address"/>). Answered by <see cref="FencedHostReleased"/>.
/// Only HaOrchestrator sends this, and only after fencing: it is what lets VMs start elsewhere.
/// </summary>
public sealed record ReleaseFencedHost
{
    public required Guid InvestigationId { get; init; }
    public required string HostId { get; init; }
    /// <summary>How the host was fenced, recorded as the reason the VMs stopped.</summary>
    public required string FencedBy { get; init; }
    public required DateTimeOffset FencedAt { get; init; }
}
