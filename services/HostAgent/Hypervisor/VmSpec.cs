namespace CloudBus.HostAgent.Hypervisor;

/// <summary>What the control plane asks for when it starts a VM; disks and NICs only where given.</summary>
public sealed record VmSpec(long Incarnation, int CpuCores, int MemoryMib, IReadOnlyList<DiskSpec>? Disks = null, IReadOnlyList<NicSpec>? Nics = null)
{
    public IReadOnlyList<DiskSpec> DisksGiven => Disks ?? [];
    public IReadOnlyList<NicSpec> NicsGiven => Nics ?? [];
}

/// <summary>A disk to attach: an image file on storage the host reaches, and its format (raw or qcow2).</summary>
public sealed record DiskSpec(string Source, string Format);

/// <summary>A NIC to plug in: its MAC (kept across restarts on other hosts) and a libvirt network or a bridge; neither for user-mode networking.</summary>
public sealed record NicSpec(string Mac, string? Network = null, string? Bridge = null);
