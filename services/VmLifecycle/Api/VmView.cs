using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Api;

/// <summary>
/// A VM as the API shows it. <see cref="Hardware"/> (the disks and NICs it was created with) and
/// <see cref="Devices"/> (what its host last reported for its run) are shown by <c>GET /vms/{id}</c>.
/// </summary>
public sealed record VmView(
    Guid VmId, string Name, string State, string? HostId, long Incarnation, int CpuCores, int MemoryMib, int RootDiskGib,
    string HaLevel, int RestartPriority, string StateReason, DateTimeOffset UpdatedAt, string? StorageCluster, bool ZoneWideStorage,
    VmHardware? Hardware = null, DevicesView? Devices = null)
{
    public static VmView WithDevices(VmRecord vm, VmHardware hardware, ReportedDevices? devices) => From(vm) with
    {
        Hardware = hardware,
        Devices = devices is null ? null : new DevicesView(devices.Devices.Disks, devices.Devices.Nics, devices.HostId, devices.Incarnation,
            devices.ReportedBy.ToString(), devices.ReportedAt),
    };

    public static VmView From(VmRecord vm) => new(
        vm.VmId, vm.Name, vm.State.ToString(), vm.HostId, vm.Incarnation, vm.CpuCores, vm.MemoryMib, vm.RootDiskGib,
        vm.HaLevel.ToString(), vm.RestartPriority, vm.StateReason, vm.UpdatedAt, vm.Storage.Cluster, vm.Storage.ZoneWide);
}

/// <summary>A VM's devices as its host reported them, for which run, by what (Start, Reboot, Sync) and when.</summary>
public sealed record DevicesView(
    IReadOnlyList<CloudBus.Messages.Vms.VmDisk> Disks, IReadOnlyList<CloudBus.Messages.Vms.VmNic> Nics, string HostId, long Incarnation,
    string ReportedBy, DateTimeOffset ReportedAt);
