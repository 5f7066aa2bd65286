using CloudBus.Messages.Hosts;
using System.ComponentModel.DataAnnotations;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// Settings of the libvirt driver, section <c>HostAgent</c> (environment: <c>HostAgent__HostId=kvm-07</c>):
/// the one host this agent runs on.
/// </summary>
public sealed class LibvirtOptions : IValidatableObject
{
    /// <value>The id this host is registered with in the control plane. Required.</value>
    [Required(ErrorMessage = "HostAgent:HostId is required with the Libvirt driver (the id the host is registered with).")]
    public string HostId { get; set; } = "";

    /// <value>The libvirt daemon to drive. Default <c>qemu:///system</c>.</value>
    [Required(ErrorMessage = "HostAgent:LibvirtUri must not be empty (for example qemu:///system).")]
    public string LibvirtUri { get; set; } = "qemu:///system";

    /// <value>
    /// The domain type of the VMs started: "kvm" (hardware virtualization), "qemu" (TCG emulation).
    /// Default: "kvm" when libvirt can run KVM domains here, otherwise "qemu"; libvirt's test driver always uses "test".
    /// </value>
    [RegularExpression("^(kvm|qemu)?$", ErrorMessage = "HostAgent:DomainType must be kvm or qemu (or empty to let libvirt say whether KVM works here).")]
    public string DomainType { get; set; } = "";

    /// <value>How long a graceful stop waits for the guest to power off before it destroys the domain. Default 60 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "HostAgent:GracefulStopTimeout must be between 100 ms and 1 h.")]
    public TimeSpan GracefulStopTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <value>
    /// A file holding this boot's id (a new one each time the host boots), reported by pings so the
    /// control plane sees a reboot. Default the kernel's <c>/proc/sys/kernel/random/boot_id</c>.
    /// </value>
    [Required(ErrorMessage = "HostAgent:BootIdFile must not be empty.")]
    public string BootIdFile { get; set; } = "/proc/sys/kernel/random/boot_id";

    /// <value>
    /// The folder on the cluster's shared storage (NFS or any shared file system) where every host
    /// of the cluster writes its heartbeat and reads its neighbours'. Required: without it the host
    /// cannot prove it fenced itself, and neighbours cannot vouch for it.
    /// </value>
    [Required(ErrorMessage = "HostAgent:HeartbeatDirectory is required with the Libvirt driver (a folder on the cluster's shared storage).")]
    public string HeartbeatDirectory { get; set; } = "";

    /// <value>How often the host writes its storage heartbeat. Default 2 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "HostAgent:HeartbeatInterval must be between 100 ms and 1 min.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <value>
    /// A host that could not write its heartbeat for this long destroys every VM it runs (self-fence).
    /// Default 8 s; keep it below the control plane's "heartbeat stale after" (10 s by default).
    /// </value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "HostAgent:SelfFenceAfter must be between 100 ms and 10 min.")]
    public TimeSpan SelfFenceAfter { get; set; } = TimeSpan.FromSeconds(8);

    /// <value>How long a neighbour ping (a TCP connect to the other host's agent) may take. Default 1 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30", ErrorMessage = "HostAgent:NeighbourPingTimeout must be between 50 ms and 30 s.")]
    public TimeSpan NeighbourPingTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <value>
    /// The watchdog that resets the host when the agent stops writing heartbeats: a device
    /// (default <c>/dev/watchdog</c>), <c>unix:PATH</c> for tools/WatchdogEmulator, or empty for none.
    /// Its timeout is SelfFenceAfter in whole seconds. Without one the heartbeat says so, and
    /// HaOrchestrator fences this host only through its BMC.
    /// </value>
    public string WatchdogDevice { get; set; } = "/dev/watchdog";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(HostId) && !HostIds.IsValid(HostId))
            yield return new ValidationResult(HostIds.Rule("HostAgent:HostId"), [nameof(HostId)]);
        if (!string.IsNullOrWhiteSpace(WatchdogDevice) && SelfFenceAfter < TimeSpan.FromSeconds(1))
            yield return new ValidationResult(
                $"HostAgent:SelfFenceAfter ({SelfFenceAfter}) must be at least 1 s with a watchdog: a watchdog counts in whole seconds.",
                [nameof(SelfFenceAfter), nameof(WatchdogDevice)]);
        if (SelfFenceAfter <= HeartbeatInterval)
            yield return new ValidationResult(
                $"HostAgent:SelfFenceAfter ({SelfFenceAfter}) must be longer than HostAgent:HeartbeatInterval ({HeartbeatInterval}): one late write must not fence the host.",
                [nameof(SelfFenceAfter), nameof(HeartbeatInterval)]);
    }
}
