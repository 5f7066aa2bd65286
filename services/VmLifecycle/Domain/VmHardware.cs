using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Domain;

/// <summary>The disks and NICs a VM was created with: every host it starts on is given them.</summary>
public sealed record VmHardware(IReadOnlyList<VmDiskSpec> Disks, IReadOnlyList<VmNicSpec> Nics)
{
    public static readonly VmHardware None = new([], []);

    public bool IsEmpty => Disks.Count == 0 && Nics.Count == 0;
}
