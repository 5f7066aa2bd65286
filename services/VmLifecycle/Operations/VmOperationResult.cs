using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>How a VM operation ended. Every outcome but <see cref="VmOutcome.Done"/> carries a message for the operator.</summary>
public sealed record VmOperationResult(VmOutcome Outcome, VmRecord? Vm, string Message)
{
    /// <summary>The state the VM left, when this operation changed it.</summary>
    public VmState? ChangedFrom { get; init; }

    public static VmOperationResult Done(VmRecord vm, VmState? changedFrom = null) => new(VmOutcome.Done, vm, "") { ChangedFrom = changedFrom };
    public static VmOperationResult NotFound(Guid vmId) => new(VmOutcome.NotFound, null, $"VM {vmId} does not exist.");
    public static VmOperationResult Refused(VmRecord vm, string reason) => new(VmOutcome.Refused, vm, $"VM {vm.VmId}: {reason}.");
    public static VmOperationResult NoCapacity(VmRecord vm, string explanation) => new(VmOutcome.NoCapacity, vm, $"VM {vm.VmId}: {explanation}.");
    public static VmOperationResult HostFailed(VmRecord vm, string reason) => new(VmOutcome.HostFailed, vm, $"VM {vm.VmId}: {reason}");
}

public enum VmOutcome
{
    Done,
    NotFound,
    /// <summary>An illegal state transition: nothing changed.</summary>
    Refused,
    /// <summary>No host can take the VM; the message says why for each host.</summary>
    NoCapacity,
    /// <summary>The host agent failed or did not answer; the VM is back in a settled state.</summary>
    HostFailed,
}
