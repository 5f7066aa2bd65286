using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Domain;

/// <summary>A VM as the control plane knows it.</summary>
public sealed record VmRecord
{
    public required Guid VmId { get; init; }
    public required string Name { get; init; }
    public required int CpuCores { get; init; }
    public required int MemoryMib { get; init; }
    /// <summary>Storage the root disk takes (see <see cref="RootDiskSize"/>); 0 when the VM has none.</summary>
    public int RootDiskGib { get; init; }
    public required VmHaLevel HaLevel { get; init; }
    public int RestartPriority { get; init; }
    public required VmState State { get; init; }
    /// <summary>The host holding this VM's capacity reservation; null when it holds none.</summary>
    public string? HostId { get; init; }
    public long Incarnation { get; init; }
    public int Version { get; init; }
    public string StateReason { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Where its disks live: which hosts can run it.</summary>
    public VmStorage Storage { get; init; } = VmStorage.Unbound;
    /// <summary>The operation in flight on this VM (from its start until its end is stored); null when none.</summary>
    public Guid? OperationId { get; init; }
}
