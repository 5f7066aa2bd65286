using CloudBus.AgentClient;
using CloudBus.ServiceDefaults;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.VmLifecycle.Placement;
using Microsoft.Extensions.Options;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// Operator operations on VMs. Each begins through <see cref="VmTransitions"/> (the VM enters its
/// transitional state, the operation is journaled with this instance, sync is told to skip the
/// VM, all in one transaction), then touches the host, then ends through it (outcome stored and
/// announced in one transaction). If this instance dies in between, another settles the operation
/// from what the host says (<see cref="Settlement.InterruptedOperations"/>).
/// </summary>
public sealed partial class VmOperations(
    ServiceIdentity identity,
    VmTransitions transitions,
    OperationRepeats repeats,
    MigrationTargets migrationTargets,
    HostStore hosts,
    HostAgentClient agents,
    IOptions<VmLifecycleOptions> options,
    TimeProvider clock,
    ILogger<VmOperations> logger)
{
    /// <summary>Places the VM (on <paramref name="hostId"/> if given), reserves capacity, and starts it there.</summary>
    public Task<VmOperationResult> StartAsync(Guid vmId, string? hostId, Guid? operationId, CancellationToken cancellationToken) =>
        StartAsync(vmId, new PlacementRequest { CpuCores = 0, MemoryMib = 0, RequiredHostId = hostId }, operationId, cancellationToken);

    /// <summary>Places the VM as <paramref name="placement"/> asks (its sizes come from the VM), and starts it.</summary>
    public Task<VmOperationResult> StartAsync(Guid vmId, PlacementRequest placement, Guid? operationId, CancellationToken cancellationToken) =>
        RunAsync(vmId, "start", operationId, operation => transitions.BeginStartAsync(operation, placement, cancellationToken), StartOnHostAsync, cancellationToken);

    /// <summary>
    /// Runs one operation: a repeat of an operation id answers with its first outcome (settling it
    /// first if the instance running it has died); otherwise it begins and, once begun, runs to its
    /// end even if the caller goes away (abandoning it half-way would leave a VM in flight).
    /// </summary>
    /// <param name="requestedId">The caller's operation id, if any.</param>
    private async Task<VmOperationResult> RunAsync(
        Guid vmId, string kind, Guid? requestedId, Func<VmOperation, Task<VmOperationResult?>> begin,
        Func<VmOperation, VmRecord, Task<VmOperationResult>> onHost, CancellationToken cancellationToken)
    {
        var operation = new VmOperation(requestedId ?? Guid.NewGuid(), vmId, kind, identity.InstanceId);
        if (requestedId is not null && await repeats.AnswerAsync(operation, cancellationToken) is { } earlier) return earlier;
        var begun = await begin(operation);
        // A concurrent request with the same operation id began it first: answer as a repeat.
        if (begun is null) return (await repeats.AnswerAsync(operation, cancellationToken))!;
        if (begun.Outcome != Messages.Vms.VmCommandOutcome.Done) return begun;
        return await onHost(operation, begun.Vm!);
    }

    private async Task<VmOperationResult> StartOnHostAsync(VmOperation operation, VmRecord vm)
    {
        var host = (await hosts.GetAsync(vm.HostId!, CancellationToken.None))!;
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
            await agents.StartVmAsync(host.AgentAddress, host.HostId, vm.VmId.ToString(),
                new AgentStartVm(vm.Incarnation, vm.CpuCores, vm.MemoryMib), timeout.Token);
        }
        catch (AgentUnavailableException failure)
        {
            LogStartFailed(vm.VmId, host.HostId, failure.Message);
            // A refusal means the VM is not running there; no answer means it may be (Unknown until sync tells).
            var outcome = failure.IsRefusal ? VmEvent.StartFailed : VmEvent.StartUnanswered;
            return await transitions.EndAsync(operation, outcome, failure.Message,
                after => VmOperationResult.HostFailed(after, $"start on {host.HostId} failed: {failure.Message}"));
        }

        LogStarted(vm.VmId, host.HostId, vm.Incarnation);
        return await transitions.EndAsync(operation, VmEvent.StartSucceeded, $"started on {host.HostId}", after => VmOperationResult.Done(after));
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "VM {VmId} started on host {HostId} (incarnation {Incarnation})")]
    private partial void LogStarted(Guid vmId, string hostId, long incarnation);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "VM {VmId} failed to start on host {HostId}: {Reason}")]
    private partial void LogStartFailed(Guid vmId, string hostId, string reason);
}
