using CloudBus.AgentClient;
using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// Pings every host this instance owns once per interval, concurrently with bounded parallelism,
/// each ping with its own timeout, and feeds the result to the host's <see cref="HostHealthTracker"/>.
/// Hosts gained from the ring since the last round are taken over from their stored status first;
/// hosts lost are simply no longer pinged here (their new owner pings them).
/// </summary>
public sealed partial class PingLoop(
    MonitoredHosts hosts,
    HostOwnership ownership,
    HostStatusStore store,
    HostAgentClient agents,
    HostStatusAnnouncer announcer,
    MonitorStats stats,
    IOptions<HostMonitorOptions> options,
    TimeProvider clock,
    ILogger<PingLoop> logger) : BackgroundService
{
    private HashSet<string> _owned = [];
    private long _knownEpoch = -1;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(options.Value.PingInterval, clock, PingAllAsync, exception =>
        {
            LogRoundFailed(exception.Message);
            return Task.CompletedTask;
        }, stoppingToken);

    public async Task PingAllAsync(CancellationToken cancellationToken)
    {
        // On start and on every ring change, learn any host registered while this instance was
        // not listening, so no host it now owns is unknown to it.
        if (ownership.Epoch != _knownEpoch)
        {
            _knownEpoch = ownership.Epoch;
            foreach (var stored in await store.ListAsync(cancellationToken))
                hosts.TryAdd(new MonitoredHost(stored.HostId, stored.AgentAddress, stored.Cluster,
                    new HostHealthTracker(options.Value.MissesBeforeSuspect, stored.Status)));
        }

        var (epoch, owned) = ownership.Owned();
        await TakeOverGainedHostsAsync(epoch, owned, cancellationToken);
        // Hosts in maintenance are not pinged: an operator took them out of service.
        var pinged = owned.Where(h => h.Status != HostStatus.Maintenance).ToList();
        var started = clock.GetTimestamp();
        await HostFanOut.ForEachAsync(pinged, options.Value.MaxParallelCalls, PingAsync,
            (host, exception) => LogPingRoundFailed(host.HostId, exception.Message), cancellationToken);
        stats.PingRound(pinged.Count, clock.GetElapsedTime(started));
    }

    private async Task TakeOverGainedHostsAsync(long epoch, IReadOnlyList<MonitoredHost> owned, CancellationToken cancellationToken)
    {
        var ownedIds = owned.Select(h => h.HostId).ToHashSet();
        var gained = owned.Where(h => !_owned.Contains(h.HostId)).ToList();
        var released = _owned.Count(id => !ownedIds.Contains(id));
        if (gained.Count > 0)
        {
            var stored = await store.StatusesAsync(gained.Select(h => h.HostId).ToList(), cancellationToken);
            foreach (var host in gained)
                host.TakeOver(new HostHealthTracker(options.Value.MissesBeforeSuspect, stored.GetValueOrDefault(host.HostId)));
        }
        if (gained.Count > 0 || released > 0) LogOwnershipChanged(epoch, gained.Count, released, ownedIds.Count);
        _owned = ownedIds;
    }

    /// <summary>Pings one host now (an operator's CheckHostNow, routed here because this instance owns it).</summary>
    public async Task<bool> CheckNowAsync(string hostId, CancellationToken cancellationToken)
    {
        if (hosts.Find(hostId) is not { } host) return false;
        await PingAsync(host, cancellationToken);
        return true;
    }

    private async Task PingAsync(MonitoredHost host, CancellationToken cancellationToken)
    {
        var error = await PingWithRetriesAsync(host, cancellationToken);
        HostHealthChange? change;
        lock (host) change = error is null ? host.Tracker.RecordSuccess(clock.GetUtcNow()) : host.Tracker.RecordMiss(clock.GetUtcNow(), error);

        if (change is not null)
            await announcer.AnnounceAsync(host, change, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Up to <see cref="HostMonitorOptions.PingAttempts"/> tries, all within one ping timeout.
    /// </summary>
    /// <returns>Null when the host answered, else the last error.</returns>
    private async Task<string?> PingWithRetriesAsync(MonitoredHost host, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.PingTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string error = "not pinged";
        for (var attempt = 1; attempt <= options.Value.PingAttempts && !linked.IsCancellationRequested; attempt++)
        {
            try
            {
                await agents.PingAsync(host.AgentAddress, host.HostId, linked.Token);
                return null;
            }
            catch (AgentUnavailableException failure)
            {
                cancellationToken.ThrowIfCancellationRequested();
                error = failure.Message;
            }
        }
        return error;
    }

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Ring epoch {Epoch}: took over {Gained} hosts, released {Released}; watching {Owned}")]
    private partial void LogOwnershipChanged(long epoch, int gained, int released, int owned);

    [LoggerMessage(EventId = 205, Level = LogLevel.Error, Message = "Ping round failed; trying again next interval: {Reason}")]
    private partial void LogRoundFailed(string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Ping of host {HostId} could not be processed: {Reason}")]
    private partial void LogPingRoundFailed(string hostId, string reason);
}
