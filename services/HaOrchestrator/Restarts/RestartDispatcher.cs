using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>
/// Works through restarts: claims the due ones of the highest priority and asks VmLifecycle to
/// start each (preferring <c>ha</c>-tagged hosts, never the host it left), the claim and the
/// command committed together. Nothing here waits for the answer: the start's end is announced
/// (<see cref="VmCommandCompleted"/>) and recorded by whichever instance hears it
/// (<see cref="Consumers.RestartAttemptCompletedConsumer"/>), so an instance that dies with
/// starts in flight leaves nothing waiting on it. At most <see cref="HaOptions.RestartParallelism"/>
/// attempts per instance are in flight; one unanswered for a lease is tried again.
/// </summary>
public sealed partial class RestartDispatcher(
    UnitsOfWork units, RestartStore store, RestartSignal signal, ServiceIdentity identity, IOptions<HaOptions> options,
    ILogger<RestartDispatcher> logger) : BackgroundService
{
    /// <summary>How often the table is looked at when nothing woke the loop (restarts due later, or a lease that ran out).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await AskForDueStartsAsync(stoppingToken) > 0) continue; // more of the same or the next priority may be due now
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Database or broker away: nothing was claimed; the next round tries again.
                LogRoundFailed(exception);
            }
            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <returns>How many starts were asked for.</returns>
    private async Task<int> AskForDueStartsAsync(CancellationToken cancellationToken)
    {
        var slots = options.Value.RestartParallelism - await store.InFlightAsync(identity.InstanceId, cancellationToken);
        await using var work = await units.BeginAsync(cancellationToken);
        foreach (var failed in await store.FailUnansweredAsync(work))
            LogGaveUp(failed.VmId, failed.CountedAttempts);
        var claimed = await store.ClaimDueAsync(work, identity.InstanceId, slots);
        foreach (var restart in claimed)
        {
            using var span = HaTracing.Source.StartContinuing("restart VM", restart.TraceParent);
            span?.SetTag("vm.id", restart.VmId).SetTag("vm.incarnation", restart.Incarnation).SetTag("restart.attempt", restart.Attempts);
            var operationId = NameBasedIds.RestartAttempt(restart.VmId, restart.Incarnation, restart.Attempts);
            await RestartStore.SetAttemptAsync(work, restart, operationId);
            await work.SendAsync(VmCommands.Address, new StartVm
            {
                VmId = restart.VmId, OperationId = operationId, PreferredTags = ["ha"], ExcludedHostIds = [restart.HostId],
            });
            LogAsked(restart.VmId, restart.Attempts);
        }
        await work.CommitAsync(cancellationToken);
        return claimed.Count;
    }

    [LoggerMessage(EventId = 535, Level = LogLevel.Information, Message = "VM {VmId}: start attempt {Attempt} asked for")]
    private partial void LogAsked(Guid vmId, int attempt);

    [LoggerMessage(EventId = 532, Level = LogLevel.Error, Message = "VM {VmId} not restarted: no answer to {Attempts} start attempts")]
    private partial void LogGaveUp(Guid vmId, int attempts);

    [LoggerMessage(EventId = 533, Level = LogLevel.Warning, Message = "Restart round failed, trying again")]
    private partial void LogRoundFailed(Exception exception);
}
