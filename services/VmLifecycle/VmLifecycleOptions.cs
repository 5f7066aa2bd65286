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
}
