using System.Text.Json.Serialization;

namespace CloudBus.Messages.Hosts;

/// <summary>How the control plane sees a hypervisor host.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HostStatus>))]
public enum HostStatus
{
    /// <summary>Registered, not yet answered a ping.</summary>
    Connecting,
    /// <summary>Answers pings.</summary>
    Connected,
    /// <summary>Missed enough consecutive pings to be investigated.</summary>
    Suspect,
    /// <summary>Alive (its storage heartbeat advances) but the management path to it is broken.</summary>
    Disconnected,
    /// <summary>Proven dead and fenced.</summary>
    Down,
    /// <summary>Taken out of service by an operator: not pinged, takes no VMs.</summary>
    Maintenance,
}
