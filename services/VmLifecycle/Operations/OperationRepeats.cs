using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Operations.Settlement;
using CloudBus.VmLifecycle.Persistence;
using MassTransit;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// The answer to an operation id seen before: its first outcome, with the VM as it is now (and
/// that outcome announced again, for a caller that asks again because it missed it). One still in
/// flight on an instance that has died, or that this instance abandoned (its end could not be
/// stored), is settled first; one running on a live instance is "still in progress", and its end
/// will be announced when it comes.
/// </summary>
public sealed class OperationRepeats(OperationJournal journal, VmStore vms, InterruptedOperations interrupted, IPublishEndpoint publish, TimeProvider clock)
{
    /// <returns>Null when the id is new.</returns>
    public async Task<VmOperationResult?> AnswerAsync(VmOperation operation, CancellationToken cancellationToken)
    {
        if (await journal.FindAsync(operation.OperationId, cancellationToken) is not { } earlier) return null;
        var vm = await vms.GetAsync(operation.VmId, cancellationToken);
        if (vm is null) return VmOperationResult.NotFound(operation.VmId);
        if (earlier.VmId != operation.VmId || earlier.Kind != operation.Kind)
            return VmOperationResult.Refused(vm, $"operation id {operation.OperationId} was already used for {earlier.Kind.InWords()} of VM {earlier.VmId}");
        if (earlier.Outcome is not { } outcome)
            return await interrupted.SettleIfAbandonedAsync(earlier, cancellationToken)
                   ?? VmOperationResult.Refused(vm, $"operation {operation.OperationId} ({operation.Kind.InWords()}) is still in progress on {earlier.OperatingInstance}");

        var result = new VmOperationResult(outcome, vm, earlier.Message);
        await publish.Publish(result.ToCompletion(vm.VmId, operation.OperationId, earlier.Kind, clock.GetUtcNow()), cancellationToken);
        return result;
    }
}
