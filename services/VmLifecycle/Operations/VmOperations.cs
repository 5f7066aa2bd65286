using CloudBus.AgentClient;
using CloudBus.ServiceDefaults;
using MassTransit;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.VmLifecycle.Placement;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// Operator operations on VMs. Each changes state through <see cref="VmTransitions"/> before and
/// after it touches the host, so a crash in between leaves a state that sync can settle.
/// </summary>
public sealed partial class VmOperations(
    ServiceIdentity identity,
    IPublishEndpoint publish,
    NpgsqlDataSource dataSource,
    VmStore vms,
    HostStore hosts,
    VmTransitions transitions,
    HostAgentClient agents,
    OperationLog operationLog,
    IOptions<VmLifecycleOptions> options,
    TimeProvider clock,
    ILogger<VmOperations> logger)
{
    /// <summary>Creates a VM; with a caller-chosen <paramref name="vmId"/> a repeat returns the VM created the first time.</summary>
    public async Task<VmRecord> CreateAsync(string name, int cpuCores, int memoryMib, int rootDiskGib, VmHaLevel haLevel, int restartPriority,
        CancellationToken cancellationToken, Guid? vmId = null)
    {
        var now = clock.GetUtcNow();
        var vm = new VmRecord
        {
            VmId = vmId ?? Guid.NewGuid(), Name = name, CpuCores = cpuCores, MemoryMib = memoryMib, RootDiskGib = rootDiskGib, HaLevel = haLevel,
            RestartPriority = restartPriority, State = VmState.Created, StateReason = "created", CreatedAt = now, UpdatedAt = now,
        };
        return await vms.InsertAsync(vm, cancellationToken) ? vm : (await vms.GetAsync(vm.VmId, cancellationToken))!;
    }

    /// <summary>Places the VM (on <paramref name="hostId"/> if given), reserves capacity, and starts it there.</summary>
    public Task<VmOperationResult> StartAsync(Guid vmId, string? hostId, Guid? operationId, CancellationToken cancellationToken) =>
        StartAsync(vmId, new PlacementRequest { CpuCores = 0, MemoryMib = 0, RequiredHostId = hostId }, operationId, cancellationToken);

    /// <summary>Places the VM as <paramref name="placement"/> asks (its sizes come from the VM), and starts it.</summary>
    public Task<VmOperationResult> StartAsync(Guid vmId, PlacementRequest placement, Guid? operationId, CancellationToken cancellationToken) =>
        TracedAsync(vmId, "start", operationId, () => StartUntracedAsync(vmId, placement, cancellationToken), cancellationToken);

    /// <summary>Stops the VM gracefully, then by force if the graceful stop does not finish in time.</summary>
    public Task<VmOperationResult> StopAsync(Guid vmId, bool force, Guid? operationId, CancellationToken cancellationToken) =>
        TracedAsync(vmId, force ? "forced stop" : "stop", operationId, () => StopUntracedAsync(vmId, force, cancellationToken), cancellationToken);

    /// <summary>
    /// Skip-trace around an operation: HostMonitor's sync leaves the VM alone from before the
    /// operation touches the host until after it ends, whatever the outcome, so a sync racing the
    /// operation cannot misread the VM (and if this instance dies in between, the skip is orphaned
    /// with a TTL rather than dropped).
    /// </summary>
    /// <param name="requestedId">The caller's operation id: a repeat with the same id does nothing
    /// twice and answers with the first outcome.</param>
    private async Task<VmOperationResult> TracedAsync(
        Guid vmId, string operation, Guid? requestedId, Func<Task<VmOperationResult>> run, CancellationToken cancellationToken)
    {
        var operationId = requestedId ?? Guid.NewGuid();
        if (requestedId is not null && await operationLog.TryBeginAsync(operationId, vmId, operation, clock.GetUtcNow(), cancellationToken) is { } earlier)
            return await RepeatAsync(operationId, earlier, vmId, operation, cancellationToken);

        await publish.Publish(new VmTraceSkipped
        {
            VmId = vmId, OperatingInstance = identity.InstanceId, OperationId = operationId, Operation = operation, SkippedAt = clock.GetUtcNow(),
        }, CancellationToken.None);
        VmOperationResult? result = null;
        try
        {
            return result = await run();
        }
        finally
        {
            await publish.Publish(new VmTraceContinued
            {
                VmId = vmId, OperatingInstance = identity.InstanceId, OperationId = operationId, ContinuedAt = clock.GetUtcNow(),
            }, CancellationToken.None);
            if (requestedId is not null)
                await operationLog.CompleteAsync(operationId, (result?.Outcome ?? VmOutcome.HostFailed).ToString(), result?.Message ?? "failed", clock.GetUtcNow());
        }
    }

    /// <summary>The answer to an operation id seen before: its first outcome, with the VM as it is now.</summary>
    private async Task<VmOperationResult> RepeatAsync(Guid operationId, LoggedOperation earlier, Guid vmId, string operation, CancellationToken cancellationToken)
    {
        if (await vms.GetAsync(vmId, cancellationToken) is not { } vm) return VmOperationResult.NotFound(vmId);
        if (earlier.VmId != vmId || earlier.Operation != operation)
            return VmOperationResult.Refused(vm, $"operation id {operationId} was already used for {earlier.Operation} of VM {earlier.VmId}");
        if (earlier.Outcome is null)
            return VmOperationResult.Refused(vm, $"operation {operationId} ({operation}) is still in progress");
        return new VmOperationResult(Enum.Parse<VmOutcome>(earlier.Outcome), vm, earlier.Message);
    }

    private async Task<VmOperationResult> StartUntracedAsync(Guid vmId, PlacementRequest placement, CancellationToken cancellationToken)
    {
        var placed = await PlaceAsync(vmId, placement, cancellationToken);
        if (placed.Outcome != VmOutcome.Done) return placed;
        var vm = placed.Vm!;
        var host = (await hosts.GetAsync(vm.HostId!, CancellationToken.None))!;

        try
        {
            // Once placed, the start runs to its end even if the caller goes away: abandoning it
            // half-way would leave a VM that may be running with nobody recording it.
            using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
            await agents.StartVmAsync(host.AgentAddress, host.HostId, vm.VmId.ToString(),
                new AgentStartVm(vm.Incarnation, vm.CpuCores, vm.MemoryMib), timeout.Token);
        }
        catch (AgentUnavailableException failure)
        {
            LogStartFailed(vm.VmId, host.HostId, failure.Message);
            // A refusal means the VM is not running there; no answer means it may be (Unknown until sync tells).
            var outcome = failure.IsRefusal ? VmEvent.StartFailed : VmEvent.StartUnanswered;
            var failed = await transitions.ApplyAsync(vm.VmId, outcome, failure.Message, vm.Incarnation, cancellationToken: CancellationToken.None);
            return VmOperationResult.HostFailed(failed.Vm ?? vm, $"start on {host.HostId} failed: {failure.Message}");
        }

        LogStarted(vm.VmId, host.HostId, vm.Incarnation);
        return await transitions.ApplyAsync(vm.VmId, VmEvent.StartSucceeded, $"started on {host.HostId}", vm.Incarnation, cancellationToken: CancellationToken.None);
    }

    /// <summary>
    /// In one transaction: check Start is legal, pick a host, reserve its capacity, and record the
    /// VM as Starting there with a new incarnation. Concurrent starts cannot over-commit a host: the
    /// reservation is a conditional update that fails when the host no longer fits.
    /// </summary>
    private async Task<VmOperationResult> PlaceAsync(Guid vmId, PlacementRequest placement, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var vm = await VmStore.LockAsync(connection, transaction, vmId);
        if (vm is null) return VmOperationResult.NotFound(vmId);

        var transition = VmStateMachine.Decide(vm.State, VmEvent.Start);
        if (transition.IsRefused) return VmOperationResult.Refused(vm, transition.Reason!);

        var request = placement with { CpuCores = vm.CpuCores, MemoryMib = vm.MemoryMib, RootDiskGib = vm.RootDiskGib };
        var plan = PlacementPolicy.Plan(request, await hosts.ListAsync(cancellationToken));
        string? chosen = null;
        foreach (var candidate in plan.Candidates)
        {
            if (await HostStore.TryReserveAsync(connection, transaction, candidate, vm))
            {
                chosen = candidate;
                break;
            }
        }
        if (chosen is null)
        {
            // The candidates filled up under concurrent starts: explain from the capacity as it is now.
            var current = PlacementPolicy.Plan(request, await hosts.ListAsync(CancellationToken.None));
            return VmOperationResult.NoCapacity(vm, current.Candidates.Count == 0 ? current.Explain() : "every candidate host filled up concurrently; try again");
        }

        var next = vm with
        {
            State = transition.To, HostId = chosen, Incarnation = vm.Incarnation + 1,
            StateReason = $"placed on {chosen}", UpdatedAt = clock.GetUtcNow(),
        };
        await VmStore.UpdateAsync(connection, transaction, next);
        await transitions.EnqueueChangeAsync(connection, transaction, vm, next);
        await transaction.CommitAsync(cancellationToken);
        transitions.Committed();
        return VmOperationResult.Done(next with { Version = vm.Version + 1 });
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "VM {VmId} started on host {HostId} (incarnation {Incarnation})")]
    private partial void LogStarted(Guid vmId, string hostId, long incarnation);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "VM {VmId} failed to start on host {HostId}: {Reason}")]
    private partial void LogStartFailed(Guid vmId, string hostId, string reason);
}
