namespace CloudBus.VmLifecycle.Placement;

/// <summary>What a VM needs from a host.</summary>
public sealed record PlacementRequest
{
    public required int CpuCores { get; init; }
    public required int MemoryMib { get; init; }
    /// <summary>Storage the VM's root disk takes.</summary>
    public int RootDiskGib { get; init; }
    /// <summary>When set, only this host is considered (an operator's explicit choice).</summary>
    public string? RequiredHostId { get; init; }
    /// <summary>Hosts carrying any of these tags are tried first (for example <c>ha</c> for HA restarts).</summary>
    public IReadOnlyList<string> PreferredTags { get; init; } = [];
    /// <summary>Hosts never to use (for example the failed host of an HA restart).</summary>
    public IReadOnlyList<string> ExcludedHostIds { get; init; } = [];
    /// <summary>When set, only hosts of this cluster are considered: the VM's disks are on its storage (<see cref="Domain.VmStorage"/>).</summary>
    public string? RequiredCluster { get; init; }
    /// <summary>
    /// Spreads VMs placed at the same moment over hosts that are about as loaded (the VM's id): each
    /// placement reads the hosts' load before the others' reservations commit, so by load alone they
    /// would all pick the same host until it is full.
    /// </summary>
    public Guid SpreadKey { get; init; }
}
