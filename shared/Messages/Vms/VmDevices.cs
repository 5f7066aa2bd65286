namespace CloudBus.Messages.Vms;

/// <summary>A VM's devices as its host runs them (from the live domain XML on a libvirt host).</summary>
public sealed record VmDevices
{
    public IReadOnlyList<VmDisk> Disks { get; init; } = [];
    public IReadOnlyList<VmNic> Nics { get; init; } = [];

    /// <summary>Same devices, in the same order (a record would compare the lists by reference).</summary>
    public bool Equals(VmDevices? other) =>
        other is not null && Disks.SequenceEqual(other.Disks) && Nics.SequenceEqual(other.Nics);

    public override int GetHashCode() => HashCode.Combine(Disks.Count, Nics.Count);

    public override string ToString() =>
        string.Join(", ", Disks.Select(d => $"{d.Target}={d.Source ?? "(no source)"}").Concat(Nics.Select(n => $"nic {n.Mac}@{n.Network ?? "user"}")));
}

/// <summary>A disk: the guest's device name (vda), where its data is, and its bus.</summary>
public sealed record VmDisk(string Target, string? Source, string? Bus);

/// <summary>A network card: its MAC, the network or bridge it is plugged into (null for user-mode networking), and its model.</summary>
public sealed record VmNic(string Mac, string? Network, string? Model);

/// <summary>A disk a VM is created with: an image on storage its hosts reach, raw or qcow2.</summary>
public sealed record VmDiskSpec(string Source, string Format);

/// <summary>A NIC a VM is created with: its MAC (kept for every run, wherever it runs) and a libvirt network or a bridge; neither for user-mode networking.</summary>
public sealed record VmNicSpec(string Mac, string? Network = null, string? Bridge = null);
