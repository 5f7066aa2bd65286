namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// Power state of a VM as the host reports it. A listing only ever contains Running or Paused:
/// a VM that is not running is simply absent, like a transient libvirt domain.
/// The simulation never pauses VMs; Paused exists for the libvirt driver.
/// </summary>
public enum VmPowerState
{
    Running,
    Paused,
    Stopped,
}
