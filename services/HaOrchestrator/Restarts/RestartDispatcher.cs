using CloudBus.Messages.Ha;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>
/// Works through restarts: claims the due ones of the highest priority, asks VmLifecycle to start
/// each (preferring <c>ha</c>-tagged hosts, never the host it left), and records the outcome. Every
/// instance runs one; a restart claimed by an instance that dies is taken over when its lease ends.
/// </summary>
public sealed partial class RestartDispatcher(
    RestartStore store, RestartSignal signal, IBus bus, ServiceIdentity identity, IOptions<HaOptions> options, TimeProvider clock,
    ILogger<RestartDispatcher> logger) : BackgroundService
{
    /// <summary>How often the table is looked at when nothing woke the loop (restarts due later, or left by a dead instance).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await store.ClaimDueAsync(identity.InstanceId, options.Value.RestartParallelism, stoppingToken);
                if (claimed.Count > 0)
                {
                    await Parallel.ForEachAsync(claimed,
                        new ParallelOptions { MaxDegreeOfParallelism = options.Value.RestartParallelism, CancellationToken = stoppingToken },
                        async (restart, ct) => await RestartAsync(restart, ct));
                    continue; // more of the same or the next priority may be due now
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Database or broker away: claimed restarts come back when their lease ends.
                LogRoundFailed(exception.Message);
            }
            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            var released = await store.ReleaseClaimsAsync(identity.InstanceId, cancellationToken);
            if (released > 0) LogClaimsReleased(released);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or OperationCanceledException)
        {
            // The leases still end on their own; another instance takes the restarts then.
            LogRoundFailed(exception.Message);
        }
    }

    private async Task RestartAsync(ClaimedRestart restart, CancellationToken cancellationToken)
    {
        using var span = HaTracing.Source.StartContinuing("restart VM", restart.TraceParent);
        span?.SetTag("vm.id", restart.VmId).SetTag("vm.incarnation", restart.Incarnation).SetTag("restart.attempt", restart.Attempts);

        var attempt = await StartAsync(restart, cancellationToken);
        var step = RestartPolicy.AfterAttempt(attempt, restart.Attempts, options.Value.RestartMaxAttempts, options.Value.RestartRetryInterval, clock.GetUtcNow());
        span?.SetTag("restart.status", step.Status.ToString());
        if (!await store.CompleteAsync(restart, identity.InstanceId, step, cancellationToken)) return;

        switch (step.Status)
        {
            case RestartStatus.Running:
                LogRestarted(restart.VmId, step.RunningOn, restart.Attempts);
                break;
            case RestartStatus.Failed:
                LogGaveUp(restart.VmId, step.Message);
                await bus.Publish(new HaAlertRaised { Subject = restart.VmId.ToString(), Message = $"VM {restart.VmId} not restarted: {step.Message}", RaisedAt = clock.GetUtcNow() }, cancellationToken);
                break;
            default:
                LogNotYet(restart.VmId, step.Status, step.Message);
                break;
        }
    }

    private async Task<StartAttempt> StartAsync(ClaimedRestart restart, CancellationToken cancellationToken)
    {
        var client = bus.CreateRequestClient<StartVm>(VmCommands.Address, RequestTimeout.After(ms: (int)options.Value.RestartStartTimeout.TotalMilliseconds));
        try
        {
            var answer = await client.GetResponse<VmCommandResult>(new StartVm
            {
                VmId = restart.VmId,
                OperationId = NameBasedIds.RestartAttempt(restart.VmId, restart.Incarnation, restart.Attempts),
                PreferredTags = ["ha"],
                ExcludedHostIds = [restart.HostId],
            }, cancellationToken);
            var result = answer.Message;
            return new StartAttempt(result.Outcome, result.Message, result.State, result.HostId);
        }
        catch (RequestTimeoutException)
        {
            return StartAttempt.Unanswered($"VmLifecycle did not answer within {options.Value.RestartStartTimeout.TotalSeconds:0.#}s");
        }
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Information, Message = "VM {VmId} restarted on {HostId} (attempt {Attempt})")]
    private partial void LogRestarted(Guid vmId, string? hostId, int attempt);

    [LoggerMessage(EventId = 531, Level = LogLevel.Warning, Message = "VM {VmId} restart {Status}: {Why}")]
    private partial void LogNotYet(Guid vmId, RestartStatus status, string why);

    [LoggerMessage(EventId = 532, Level = LogLevel.Error, Message = "VM {VmId} not restarted: {Why}")]
    private partial void LogGaveUp(Guid vmId, string why);

    [LoggerMessage(EventId = 533, Level = LogLevel.Warning, Message = "Restart round failed, trying again: {Reason}")]
    private partial void LogRoundFailed(string reason);

    [LoggerMessage(EventId = 534, Level = LogLevel.Information, Message = "Stopping: handed back {Count} restarts in progress to the other instances")]
    private partial void LogClaimsReleased(int count);
}
