using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /vms: a new VM with its size and HA settings.</summary>
public sealed record CreateVmRequest(string? Name, int CpuCores, int MemoryMib, string? HaLevel, int RestartPriority, RootDiskRequest? RootDisk = null)
{
    public RequestValidation Validate() => new RequestValidation()
        .Require(!string.IsNullOrWhiteSpace(Name) && Name.Length <= 128, "name", "name must be 1-128 characters.")
        .Require(CpuCores is > 0 and <= 256, "cpuCores", "cpuCores must be between 1 and 256.")
        .Require(MemoryMib is >= 16 and <= 16 * 1024 * 1024, "memoryMib", "memoryMib must be between 16 and 16777216.")
        .Require(HaLevel is null || Enum.TryParse<VmHaLevel>(HaLevel, ignoreCase: true, out _), "haLevel",
            $"haLevel must be one of {string.Join(", ", Enum.GetNames<VmHaLevel>())}.")
        .Require(RestartPriority is >= 0 and <= 1000, "restartPriority", "restartPriority must be between 0 and 1000.")
        .Require(RootDisk is null || (RootDisk.ImageVirtualGib is > 0 and <= 65536 && RootDisk.ImageActualGib is > 0 and <= 65536
                                      && RootDisk.OfferingGib is null or (> 0 and <= 65536)),
            "rootDisk", "rootDisk sizes (imageVirtualGib, imageActualGib, offeringGib) must be between 1 and 65536 GiB.");

    /// <summary>The root disk's allocated size, 0 without a root disk.</summary>
    public int RootDiskGib => RootDisk is null ? 0 : CloudBus.VmLifecycle.Domain.RootDiskSize.AllocatedGib(RootDisk.ImageVirtualGib, RootDisk.ImageActualGib, RootDisk.OfferingGib);

    public VmHaLevel ParsedHaLevel => HaLevel is null ? VmHaLevel.None : Enum.Parse<VmHaLevel>(HaLevel, ignoreCase: true);

    public CloudBus.VmLifecycle.Domain.NewVm ToNewVm() => new(Name!, CpuCores, MemoryMib, RootDiskGib, ParsedHaLevel, RestartPriority);
}
