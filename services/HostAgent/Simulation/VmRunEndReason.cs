namespace CloudBus.HostAgent.Simulation;

/// <summary>Why a VM stopped running on a host.</summary>
public enum VmRunEndReason
{
    Stopped,
    ForceStopped,
    Destroyed,
    Crashed,
    PowerOff,
    SelfFenced,
}
