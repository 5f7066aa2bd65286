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
}
