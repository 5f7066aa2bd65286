namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// A VM's devices as its host runs them (from the live domain XML on a libvirt host): what the
/// guest sees, including anything hot-plugged since the start.
/// </summary>
public sealed record VmDevices(IReadOnlyList<VmDisk> Disks, IReadOnlyList<VmNic> Nics)
{
    public static readonly VmDevices None = new([], []);

    /// <summary>Same devices, in the same order (a record would compare the lists by reference).</summary>
    public bool Equals(VmDevices? other) =>
        other is not null && Disks.SequenceEqual(other.Disks) && Nics.SequenceEqual(other.Nics);

    public override int GetHashCode() => HashCode.Combine(Disks.Count, Nics.Count);
}

/// <summary>A disk: the guest's device name (vda), where its data is (a file or block device), and its bus.</summary>
public sealed record VmDisk(string Target, string? Source, string? Bus);

/// <summary>A network card: its MAC, the network or bridge it is plugged into (null for user-mode networking), and its model.</summary>
public sealed record VmNic(string Mac, string? Network, string? Model);
