using CloudBus.AgentClient;
using CloudBus.Messages.Vms;
using CloudBus.Ring;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Routing;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using Microsoft.Extensions.Options;

namespace CloudBus.VmLifecycle.Operations.Settlement;

/// <summary>
/// Work a dead VmLifecycle instance left in flight is settled at once by the others: when an
/// instance leaves the ring (and every few seconds, for what could not be settled yet), each
/// operation it was running is ended from what the VM's host says now (<see cref="SettlementRules"/>),
/// its end announced as the operation's own: sync traces the VM again, and whoever asked hears the
/// outcome. Nothing waits for an orphan's TTL. Instances racing to settle one operation are
/// harmless: the VM's row lock lets one of them do it. An operation this instance abandoned
/// itself (no longer among its <see cref="RunningOperations"/>: its end could not be stored while
/// the database was away) is settled by it the same way, within one sweep.
/// </summary>
public sealed partial class InterruptedOperations(
    OperationJournal journal,
    VmStore vms,
    HostStore hosts,
    HostAgentClient agents,
    VmTransitions transitions,
    RingHolder ring,
    RunningOperations running,
    ServiceIdentity identity,
    IOptions<VmLifecycleOptions> options,
    TimeProvider clock,
    ILogger<InterruptedOperations> logger) : BackgroundService, IRingObserver
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    /// <summary>Wakes the sweep when an instance leaves: the ring's consumer must not wait on hosts.</summary>
    private readonly WorkSignal _departed = new(clock);

    /// <summary>
    /// How old an operation must be before "the host does not run it" is trusted: the longest its
    /// instance could still have had calls to the host in flight (a stop and a start, as a
    /// migration or reboot makes, each up to the agent timeout).
    /// </summary>
    private TimeSpan QuietAfter => 2 * options.Value.AgentTimeout;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SettleAbandonedAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(exception);
            }
            await _departed.WaitAsync(SweepInterval, stoppingToken);
        }
    }

    public Task RingAdvancedAsync(RingSnapshot previous, RingSnapshot current)
    {
        if (previous.Ring.Members.Except(current.Ring.Members).Any()) _departed.Notify();
        return Task.CompletedTask;
    }

    /// <summary>Settles every operation in flight that nobody runs any more (nothing while the ring is not known yet).</summary>
    public async Task SettleAbandonedAsync(CancellationToken cancellationToken)
    {
        if (ring.Current.Epoch == 0) return;
        foreach (var operation in await journal.InFlightAsync(cancellationToken))
            if (IsAbandoned(operation, ring.Current))
                await SettleAsync(operation, cancellationToken);
    }

    /// <returns>The operation's outcome once settled; null when its instance is alive, or it cannot be settled yet.</returns>
    public Task<VmOperationResult?> SettleIfAbandonedAsync(JournaledOperation operation, CancellationToken cancellationToken)
    {
        var current = ring.Current;
        return current.Epoch != 0 && IsAbandoned(operation, current) ? SettleAsync(operation, cancellationToken) : Task.FromResult<VmOperationResult?>(null);
    }

    // An operation journaled before instances were recorded has no instance: nobody is running it.
    private bool IsAbandoned(JournaledOperation operation, RingSnapshot current) =>
        operation.OperatingInstance is null
        || (operation.OperatingInstance == identity.InstanceId
            ? !running.IsRunning(operation.OperationId)
            : !current.Ring.Members.Contains(operation.OperatingInstance, StringComparer.Ordinal));

    private async Task<VmOperationResult?> SettleAsync(JournaledOperation operation, CancellationToken cancellationToken)
    {
        var vm = await vms.GetAsync(operation.VmId, cancellationToken);
        Settlement? settlement;
        if (vm is null || vm.OperationId != operation.OperationId)
            settlement = new Settlement(null, Messages.Vms.VmCommandOutcome.HostFailed, "the VM has moved on");
        else
        {
            var quiet = clock.GetUtcNow() - operation.StartedAt >= QuietAfter;
            var moved = operation.TargetHostId is { } target && vm.HostId == target;
            settlement = SettlementRules.Decide(vm.State, await AskHostAsync(vm, cancellationToken), quiet, moved);
        }
        if (settlement is null)
        {
            LogWaiting(operation.VmId, operation.Kind, operation.OperatingInstance);
            return null;
        }

        var left = operation.OperatingInstance == identity.InstanceId ? "gave up on" : "departed during";
        var why = $"{operation.OperatingInstance ?? "an instance"} {left} {operation.Kind.InWords()}; settled by {identity.InstanceId}: {settlement.Why}";
        var result = await transitions.SettleAsync(operation, settlement.Event, settlement.Outcome, why, identity.InstanceId);
        if (result is not null) LogSettled(operation.VmId, operation.Kind, operation.OperatingInstance, result.Vm?.State.ToString() ?? "gone", settlement.Why);
        return result;
    }

    private async Task<HostAnswer> AskHostAsync(VmRecord vm, CancellationToken cancellationToken)
    {
        if (vm.HostId is null) return HostAnswer.NoHost;
        var host = (await hosts.GetAsync(vm.HostId, cancellationToken))!;
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var report = await agents.ListVmsAsync(host.AgentAddresses, host.HostId, linked.Token);
            // A state this version does not know counts as present: never settle as stopped a VM that may run.
            var runs = report.Vms.Any(v => v.VmId == vm.VmId.ToString() && v.Incarnation == vm.Incarnation
                                           && v.PowerState is not VmPowerState.Stopped);
            return runs ? HostAnswer.Running : HostAnswer.NotRunning;
        }
        catch (AgentUnavailableException)
        {
            return HostAnswer.Unreachable;
        }
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Warning, Message = "VM {VmId}: {Kind} left in flight by {Instance} settled; the VM is {State} ({Why})")]
    private partial void LogSettled(Guid vmId, VmOperationKind kind, string? instance, string state, string why);

    [LoggerMessage(EventId = 331, Level = LogLevel.Information, Message = "VM {VmId}: {Kind} left in flight by {Instance} cannot be settled yet (its host's answer is not conclusive); trying again")]
    private partial void LogWaiting(Guid vmId, VmOperationKind kind, string? instance);

    [LoggerMessage(EventId = 332, Level = LogLevel.Error, Message = "Settling operations left by departed instances failed; trying again")]
    private partial void LogSweepFailed(Exception exception);
}
