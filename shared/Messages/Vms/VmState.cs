namespace CloudBus.Messages.Vms;

/// <summary>The control plane's state of a VM (VmLifecycle's state machine).</summary>
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
