using System.Text.Json.Serialization;

namespace CloudBus.Messages.Vms;

/// <summary>The control plane's state of a VM (VmLifecycle's state machine).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VmState>))]
public enum VmState
{
    Created,
    Starting,
    Running,
    Paused,
    Stopping,
    Stopped,
    Rebooting,
    Migrating,
    Destroying,
    Destroyed,
    Unknown,
}
