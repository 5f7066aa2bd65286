using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>How a VM operation ended. Every outcome but <see cref="VmCommandOutcome.Done"/> carries a message for the operator.</summary>
public sealed record VmOperationResult(VmCommandOutcome Outcome, VmRecord? Vm, string Message)
{
    /// <summary>The state the VM left, when this operation changed it.</summary>
    public VmState? ChangedFrom { get; init; }

    public static VmOperationResult Done(VmRecord vm, VmState? changedFrom = null) => new(VmCommandOutcome.Done, vm, "") { ChangedFrom = changedFrom };
    public static VmOperationResult NotFound(Guid vmId) => new(VmCommandOutcome.NotFound, null, $"VM {vmId} does not exist.");
    public static VmOperationResult Refused(VmRecord vm, string reason) => new(VmCommandOutcome.Refused, vm, $"VM {vm.VmId}: {reason}.");
    public static VmOperationResult NoCapacity(VmRecord vm, string explanation) => new(VmCommandOutcome.NoCapacity, vm, $"VM {vm.VmId}: {explanation}.");
    public static VmOperationResult HostFailed(VmRecord vm, string reason) => new(VmCommandOutcome.HostFailed, vm, $"VM {vm.VmId}: {reason}");
    public static VmOperationResult Invalid(string errors) => new(VmCommandOutcome.Invalid, null, errors);

    /// <summary>
    /// The announcement of how a command on VM <paramref name="vmId"/> ended (the one way every
    /// command's end is told: never a reply). Create and HA settings have no operation id.
    /// </summary>
    public VmCommandCompleted ToCompletion(Guid vmId, Guid operationId, VmOperationKind operation, DateTimeOffset at) => new()
    {
        VmId = vmId, OperationId = operationId, Operation = operation, Outcome = Outcome, Message = Message,
        State = Vm?.State, HostId = Vm?.HostId, CompletedAt = at,
    };

    /// <summary>This result with the VM as it is after the operation's end.</summary>
    public VmOperationResult WithVm(VmRecord vm) => this with { Vm = vm };
}
