using CloudBus.Messages.Hosts;

namespace CloudBus.VmLifecycle.Domain;

/// <summary>A hypervisor host with its capacity and how much of it running VMs hold.</summary>
public sealed record HostRecord
{
    public required string HostId { get; init; }
    public required Uri AgentAddress { get; init; }
    /// <summary>The agent on the host's other management networks, tried in this order when <see cref="AgentAddress"/> does not answer.</summary>
    public IReadOnlyList<Uri> AlternateAgentAddresses { get; init; } = [];
    public required string Cluster { get; init; }
    public required int CpuCores { get; init; }
    public required int MemoryMib { get; init; }
    /// <summary>Storage for root disks; null when storage is not tracked for this host.</summary>
    public int? StorageGib { get; init; }
    public int StorageUsed { get; init; }
    public int CpuUsed { get; init; }
    public int MemoryUsed { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public HostStatus Status { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>Taken out of service by an operator: takes no VMs (and HostMonitor stops pinging it).</summary>
    public bool InMaintenance { get; init; }
    public string? MaintenanceReason { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    /// <summary>The host's BMC as <c>host:port</c>; null when it has none (fencing then relies on self-fence).</summary>
    public string? BmcAddress { get; init; }
    /// <summary>The BMC's other addresses, tried in this order when <see cref="BmcAddress"/> does not answer.</summary>
    public IReadOnlyList<string> AlternateBmcAddresses { get; init; } = [];

    /// <summary>Every address of the host's agent, the first registered first.</summary>
    public IReadOnlyList<Uri> AgentAddresses => [AgentAddress, .. AlternateAgentAddresses];

    /// <summary>The host as announced to the other services.</summary>
    public HostRegistered ToRegistration() => new()
    {
        HostId = HostId, AgentAddress = AgentAddress, Cluster = Cluster, CpuCores = CpuCores, MemoryMib = MemoryMib, Tags = Tags,
        RegisteredAt = RegisteredAt, BmcAddress = BmcAddress,
        AlternateAgentAddresses = AlternateAgentAddresses, AlternateBmcAddresses = AlternateBmcAddresses,
    };

    public int FreeCpu => CpuCores - CpuUsed;
    public int FreeMemoryMib => MemoryMib - MemoryUsed;
    public int? FreeStorageGib => StorageGib - StorageUsed;
}
