using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Api;

/// <summary>A VM as the API shows it.</summary>
public sealed record VmView(
    Guid VmId, string Name, string State, string? HostId, long Incarnation, int CpuCores, int MemoryMib, int RootDiskGib,
    string HaLevel, int RestartPriority, string StateReason, DateTimeOffset UpdatedAt, string? StorageCluster, bool ZoneWideStorage)
{
    public static VmView From(VmRecord vm) => new(
        vm.VmId, vm.Name, vm.State.ToString(), vm.HostId, vm.Incarnation, vm.CpuCores, vm.MemoryMib, vm.RootDiskGib,
        vm.HaLevel.ToString(), vm.RestartPriority, vm.StateReason, vm.UpdatedAt, vm.Storage.Cluster, vm.Storage.ZoneWide);
}
