namespace CloudBus.HostAgent.Storage;

/// <summary>
/// Runs a heartbeat round at start and then every <see cref="IHeartbeatRound.Interval"/>, and
/// checks for self-fencing <see cref="FenceChecksPerInterval"/> times per interval, so a host
/// fences close to its self-fence time rather than up to one interval later.
/// </summary>
public sealed partial class HeartbeatWriterService(IHeartbeatRound round, TimeProvider time, ILogger<HeartbeatWriterService> logger)
    : BackgroundService
{
    public const int FenceChecksPerInterval = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(round.Interval / FenceChecksPerInterval, time);
        try
        {
            var tick = 0L;
            do
            {
                RunSafely(tick++ % FenceChecksPerInterval == 0 ? round.Run : round.SelfFenceIfStale);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void RunSafely(Action step)
    {
        try
        {
            step();
        }
#pragma warning disable CA1031 // One bad round must not stop every future heartbeat.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRoundFailed(e);
        }
    }

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error, Message = "Storage heartbeat round or self-fence check failed")]
    private partial void LogRoundFailed(Exception exception);
}
