using CloudBus.HostAgent.Storage;
using Microsoft.Extensions.Options;

namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// One storage-heartbeat round for the whole fleet: every powered-on host writes its heartbeat
/// (an isolated host cannot), and a host that has not written one for SelfFenceAfter kills its VMs.
/// Driven by <see cref="HeartbeatWriterService"/>; tests call <see cref="Run"/> and
/// <see cref="SelfFenceIfStale()"/> with a fake clock.
/// </summary>
public sealed class HeartbeatRound(
    SimulatedFleet fleet,
    HeartbeatStore storage,
    IOptions<SimulatedOptions> options,
    ILogger<HeartbeatRound> logger) : IHeartbeatRound
{
    public TimeSpan Interval => options.Value.HeartbeatInterval;

    // Writes happen under the fleet lock on purpose: once a power-off or isolate call has
    // returned, that host will not write another heartbeat. The files are tiny.
    public void Run() => fleet.ForEachHost((host, now) =>
    {
        if (!host.PoweredOn)
        {
            return;
        }

        Write(host, now);
        SelfFenceIfStale(host, now);
    });

    /// <summary>
    /// Only the self-fence check, run several times between heartbeat rounds. Checking once per
    /// round would fence up to a whole interval late (at 10 s instead of 8 s with the defaults),
    /// which is exactly when neighbours start calling the host Down.
    /// </summary>
    public void SelfFenceIfStale() => fleet.ForEachHost((host, now) =>
    {
        if (host.PoweredOn)
        {
            SelfFenceIfStale(host, now);
        }
    });

    private void Write(SimulatedHost host, DateTimeOffset now)
    {
        if (host.Faults.Isolated)
        {
            RecordFailure(host, "the host is isolated from shared storage");
            return;
        }

        try
        {
            // The first write after start carries on from the sequence already on storage, so an
            // agent restart never makes a heartbeat go backwards.
            var sequence = (host.Heartbeat.Sequence ?? storage.TryRead(host.HostId)?.Sequence ?? 0) + 1;
            storage.Write(new StorageHeartbeat(host.HostId, sequence, now, options.Value.SelfFenceAfter, options.Value.Watchdog));
            if (host.Heartbeat.Written(sequence, now))
            {
                logger.HeartbeatWriteRestored(host.HostId);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RecordFailure(host, "writing its file failed", e);
        }
    }

    private void RecordFailure(SimulatedHost host, string reason, Exception? exception = null)
    {
        if (host.Heartbeat.MarkFailing())
        {
            logger.HeartbeatWriteFailed(exception, host.HostId, reason);
        }
    }

    private void SelfFenceIfStale(SimulatedHost host, DateTimeOffset now)
    {
        var staleFor = host.Heartbeat.StaleFor(now);
        if (staleFor < options.Value.SelfFenceAfter || host.VmCount == 0)
        {
            return;
        }

        // Neighbours will soon call this host Down and restart its VMs elsewhere: kill them first,
        // so no VM ever runs twice.
        var killed = host.KillAllVms(VmRunEndReason.SelfFenced, now);
        logger.HostSelfFenced(host.HostId, staleFor, killed);
    }
}
