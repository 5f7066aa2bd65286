using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// How every VM operation runs. It begins through <see cref="VmTransitions"/> (the VM enters its
/// transitional state, the operation is journaled with this instance, sync is told to skip the
/// VM, all in one transaction), then touches the host, then ends through it (outcome stored and
/// announced in one transaction). If this instance dies in between, another settles the operation
/// from what the host says (<see cref="Settlement.InterruptedOperations"/>); if the runner itself
/// gives up in between (the begin or the end could not be committed), this instance settles it
/// the same way, since the operation is no longer among its <see cref="RunningOperations"/>.
/// </summary>
public sealed class OperationRunner(ServiceIdentity identity, OperationRepeats repeats, RunningOperations running)
{
    /// <summary>
    /// Runs one operation: a repeat of an operation id answers with its first outcome (settling it
    /// first if the instance running it has died); otherwise it begins and, once begun, runs to its
    /// end even if the caller goes away (abandoning it half-way would leave a VM in flight).
    /// </summary>
    /// <param name="requestedId">The caller's operation id, if any.</param>
    /// <param name="begin">Begins the operation through <see cref="VmTransitions"/>.</param>
    /// <param name="onHost">The operation's work on the host, given the VM as begun; it ends the operation through <see cref="VmTransitions.EndAsync"/>.</param>
    public async Task<VmOperationResult> RunAsync(
        Guid vmId, VmOperationKind kind, Guid? requestedId, Func<VmOperation, Task<VmOperationResult?>> begin,
        Func<VmOperation, VmRecord, Task<VmOperationResult>> onHost, CancellationToken cancellationToken)
    {
        var operation = new VmOperation(requestedId ?? Guid.NewGuid(), vmId, kind, identity.InstanceId);
        if (requestedId is not null && await repeats.AnswerAsync(operation, cancellationToken) is { } earlier) return earlier;
        // Running from before it is journaled: a settler must never take it for abandoned while it runs.
        using (running.Track(operation.OperationId))
        {
            var begun = await begin(operation);
            if (begun is not null) return begun.Outcome != VmCommandOutcome.Done ? begun : await onHost(operation, begun.Vm!);
        }
        // A concurrent request with the same operation id began it first: answer as a repeat.
        return (await repeats.AnswerAsync(operation, cancellationToken))!;
    }
}
