using Microsoft.Extensions.Options;

namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// Runs a <see cref="HeartbeatRound"/> at start and then every HeartbeatInterval, and checks for
/// self-fencing <see cref="FenceChecksPerInterval"/> times per interval, so a host fences close
/// to SelfFenceAfter rather than up to one interval later.
/// </summary>
public sealed class HeartbeatWriterService(
    HeartbeatRound round,
    IOptions<SimulatedOptions> options,
    TimeProvider time,
    ILogger<HeartbeatWriterService> logger) : BackgroundService
{
    public const int FenceChecksPerInterval = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval / FenceChecksPerInterval, time);
        try
        {
            var tick = 0L;
            do
            {
                RunSafely(tick++ % FenceChecksPerInterval == 0 ? round.Run : round.SelfFenceStaleHosts);
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
#pragma warning disable CA1031 // One bad round must not stop every future heartbeat of the fleet.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.HeartbeatRoundFailed(e);
        }
    }
}
