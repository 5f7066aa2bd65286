using System.Text.Json.Serialization;
using CloudBus.Messages;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Api;

/// <summary>
/// POST /vms: a new VM with its size and HA settings, and where its disks will live: on the storage
/// of <paramref name="StorageCluster"/>, on zone-wide storage, or (neither given) on the cluster of
/// the host it first starts on. <paramref name="Disks"/> and <paramref name="Nics"/> are given to every
/// host it starts on; a NIC without a MAC gets one here, kept for every run.
/// </summary>
public sealed record CreateVmRequest(
    string? Name, int CpuCores, int MemoryMib, string? HaLevel, int RestartPriority, RootDiskRequest? RootDisk = null,
    string? StorageCluster = null, bool ZoneWideStorage = false, DiskRequest[]? Disks = null, NicRequest[]? Nics = null)
{
    public RequestValidation Validate() => new RequestValidation()
        .Check("name", VmSettingsRules.Name(Name))
        .Check("cpuCores", VmSettingsRules.CpuCores(CpuCores))
        .Check("memoryMib", VmSettingsRules.MemoryMib(MemoryMib))
        .Require(HaLevel is null || EnumNames.TryParse<VmHaLevel>(HaLevel, out _), "haLevel", VmSettingsRules.HaLevelMessage)
        .Check("restartPriority", VmSettingsRules.RestartPriority(RestartPriority))
        .Require(RootDisk is null || (RootDisk.ImageVirtualGib is > 0 and <= 65536 && RootDisk.ImageActualGib is > 0 and <= 65536
                                      && RootDisk.OfferingGib is null or (> 0 and <= 65536)),
            "rootDisk", "rootDisk sizes (imageVirtualGib, imageActualGib, offeringGib) must be between 1 and 65536 GiB.")
        .Require(StorageCluster is null || !ZoneWideStorage, "storageCluster",
            "Give storageCluster (disks on that cluster's storage) or zoneWideStorage (disks every host reaches), not both.")
        .RequireId(StorageCluster, "storageCluster", optional: true)
        .Check("disks", VmHardwareRules.Disks(Disks))
        .Check("nics", VmHardwareRules.Nics(Nics));

    /// <summary>The root disk's allocated size, 0 without a root disk.</summary>
    [JsonIgnore]
    public int RootDiskGib => RootDisk is null ? 0 : CloudBus.VmLifecycle.Domain.RootDiskSize.AllocatedGib(RootDisk.ImageVirtualGib, RootDisk.ImageActualGib, RootDisk.OfferingGib);

    [JsonIgnore]
    public VmHaLevel ParsedHaLevel => HaLevel is null ? VmHaLevel.None
        : EnumNames.TryParse<VmHaLevel>(HaLevel, out var level) ? level : throw new InvalidOperationException(VmSettingsRules.HaLevelMessage);

    [JsonIgnore]
    public VmStorage Storage => ZoneWideStorage ? VmStorage.ZoneWideStorage : StorageCluster is { } cluster ? VmStorage.InCluster(cluster) : VmStorage.Unbound;

    public CloudBus.VmLifecycle.Domain.NewVm ToNewVm() => new(Name!, CpuCores, MemoryMib, RootDiskGib, ParsedHaLevel, RestartPriority, Storage,
        new VmHardware(
            [.. (Disks ?? []).Select(d => new VmDiskSpec(d.Source!, d.Format ?? "qcow2"))],
            [.. (Nics ?? []).Select(n => new VmNicSpec(n.Mac?.ToLowerInvariant() ?? VmHardwareRules.NewMac(), n.Network, n.Bridge))]));
}
