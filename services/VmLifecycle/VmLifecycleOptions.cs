using System.ComponentModel.DataAnnotations;

namespace CloudBus.VmLifecycle;

/// <summary>VmLifecycle settings, section <c>VmLifecycle</c>.</summary>
public sealed class VmLifecycleOptions
{
    public const string Section = "VmLifecycle";

    /// <value>How long one call to a host agent may take. Default 10 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "VmLifecycle:AgentTimeout must be between 100 ms and 10 min.")]
    public TimeSpan AgentTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <value>How long a graceful stop may take before the VM is stopped by force. Default 30 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "VmLifecycle:GracefulStopTimeout must be between 100 ms and 1 h.")]
    public TimeSpan GracefulStopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <value>
    /// The networks (comma-separated CIDRs) host agents may be registered in; any other agent
    /// address is refused. Default: loopback and the private ranges (10/8, 172.16/12, 192.168/16,
    /// fc00::/7), so neither public addresses nor link-local ones (169.254.169.254, a cloud's
    /// metadata service) can be named.
    /// </value>
    public string AllowedAgentNetworks { get; set; } = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";
}
