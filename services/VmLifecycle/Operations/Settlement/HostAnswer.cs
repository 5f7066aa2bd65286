namespace CloudBus.VmLifecycle.Operations.Settlement;

/// <summary>What the VM's host says about the VM's current run when asked while settling an interrupted operation.</summary>
public enum HostAnswer
{
    /// <summary>The host runs the VM, in its current incarnation.</summary>
    Running,
    /// <summary>The host answered and does not run this run of the VM.</summary>
    NotRunning,
    /// <summary>The host did not answer.</summary>
    Unreachable,
    /// <summary>The VM holds no host.</summary>
    NoHost,
}
