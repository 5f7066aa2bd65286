using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Domain;

/// <summary>What a VM is created with.</summary>
/// <param name="Hardware">Its disks and NICs (none when null); a repeated create is not compared on them.</param>
public sealed record NewVm(string Name, int CpuCores, int MemoryMib, int RootDiskGib, VmHaLevel HaLevel, int RestartPriority, VmStorage Storage, VmHardware? Hardware = null)
{
    /// <summary>Whether <paramref name="vm"/> is what this asks for (a repeated create with the same key must ask the same).</summary>
    public bool Matches(VmRecord vm) =>
        (vm.Name, vm.CpuCores, vm.MemoryMib, vm.RootDiskGib, vm.HaLevel, vm.RestartPriority) == (Name, CpuCores, MemoryMib, RootDiskGib, HaLevel, RestartPriority)
        // A VM created without a storage cluster is bound to one at its first start: still the same request.
        && (Storage == vm.Storage || (Storage == VmStorage.Unbound && !vm.Storage.ZoneWide));
}
