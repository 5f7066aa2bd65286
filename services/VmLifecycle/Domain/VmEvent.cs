namespace CloudBus.VmLifecycle.Domain;

/// <summary>Everything that can happen to a VM: operator commands, operation outcomes and hypervisor reports.</summary>
public enum VmEvent
{
    // Operator commands.
    Start,
    Stop,
    Reboot,
    Migrate,
    Destroy,

    // Outcomes of operations this service ran against a host agent.
    StartSucceeded,
    /// <summary>The host refused the start: the VM is certainly not running there.</summary>
    StartFailed,
    /// <summary>The host did not answer the start: the VM may or may not run there; sync will tell.</summary>
    StartUnanswered,
    StopSucceeded,
    RebootSucceeded,
    MigrateSucceeded,
    DestroySucceeded,
    /// <summary>A stop, reboot, migrate or destroy failed; the VM is where it was before.</summary>
    OperationFailed,

    // What the hypervisor reports (VM sync), for the VM's current host and incarnation.
    ReportedRunning,
    ReportedPaused,
    ReportedStopped,

    /// <summary>The VM's host was fenced (powered off or self-fenced): the VM is certainly not running.</summary>
    HostFenced,

    /// <summary>The VM's host stopped answering (suspect, or alive but cut off): whether the VM still runs is not known.</summary>
    HostUnreachable,
}
