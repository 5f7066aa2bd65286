using System.Text.Json.Serialization;

namespace CloudBus.Messages.Vms;

/// <summary>What a hypervisor says about a VM it was asked about or listed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VmPowerState>))]
public enum VmPowerState
{
    Running,
    Paused,
    /// <summary>Not running on that host (absent from its report after the grace period, or stopped).</summary>
    Stopped,
}
