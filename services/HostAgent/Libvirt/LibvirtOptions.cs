using System.ComponentModel.DataAnnotations;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// Settings of the libvirt driver, section <c>HostAgent</c> (environment: <c>HostAgent__HostId=kvm-07</c>):
/// the one host this agent runs on.
/// </summary>
public sealed class LibvirtOptions
{
    /// <value>The id this host is registered with in the control plane. Required.</value>
    [Required(ErrorMessage = "HostAgent:HostId is required with the Libvirt driver (the id the host is registered with).")]
    [RegularExpression(@"^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "HostAgent:HostId must be 1-64 ASCII letters, digits, '-', '_' or '.'.")]
    public string HostId { get; set; } = "";

    /// <value>The libvirt daemon to drive. Default <c>qemu:///system</c>.</value>
    [Required(ErrorMessage = "HostAgent:LibvirtUri must not be empty (for example qemu:///system).")]
    public string LibvirtUri { get; set; } = "qemu:///system";

    /// <value>
    /// The domain type of the VMs started: "kvm" (hardware virtualization), "qemu" (TCG emulation).
    /// Default: "kvm" when /dev/kvm exists, otherwise "qemu"; libvirt's test driver always uses "test".
    /// </value>
    [RegularExpression("^(kvm|qemu)?$", ErrorMessage = "HostAgent:DomainType must be kvm or qemu (or empty to choose by /dev/kvm).")]
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
}
