using CloudBus.AgentClient;
using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// Pings every host this instance owns once per interval, concurrently with bounded parallelism,
/// each ping with its own timeout, and feeds the result to the host's <see cref="HostHealthTracker"/>.
/// Each round starts from the database: hosts registered through any instance are learnt, and a
/// status another instance (or a verdict, or maintenance) stored is taken, so memory follows what
/// was committed. Hosts gained from the ring since the last round start a fresh ping history; hosts
/// lost are simply no longer pinged here (their new owner pings them).
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
    private readonly ResiliencePipeline _ping = PingPipeline(options.Value, clock);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(options.Value.PingInterval, clock, PingAllAsync, exception =>
        {
            LogRoundFailed(exception);
            return Task.CompletedTask;
        }, stoppingToken);

    public async Task PingAllAsync(CancellationToken cancellationToken)
    {
        await FollowStoreAsync(cancellationToken);
        var (epoch, owned) = ownership.Owned();
        TakeOverGainedHosts(epoch, owned);
        // Hosts in maintenance are not pinged: an operator took them out of service.
        var pinged = owned.Where(h => h.Status != HostStatus.Maintenance).ToList();
        var started = clock.GetTimestamp();
        await HostFanOut.ForEachAsync(pinged, options.Value.MaxParallelCalls, PingAsync,
            (host, exception) => LogPingRoundFailed(exception, host.HostId), cancellationToken);
        stats.PingRound(pinged.Count, clock.GetElapsedTime(started));
    }

    /// <summary>
    /// Learns the hosts stored since the last round and takes every stored status that differs
    /// from memory. With the database away, pings go on from memory: detecting a dead host must
    /// not wait for the database (its suspicion is stored once the database is back).
    /// </summary>
    private async Task FollowStoreAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredHost> storedHosts;
        try
        {
            storedHosts = await store.ListAsync(cancellationToken);
        }
        catch (Exception exception) when (TransientFailures.IsTransient(exception))
        {
            LogStoreAway(exception);
            return;
        }
        foreach (var stored in storedHosts)
        {
            if (hosts.Find(stored.HostId) is { } host)
            {
                lock (host)
                    if (host.Tracker.Status != stored.Status) host.Tracker.Reload(stored.Status, stored.StatusReason);
            }
            else
            {
                hosts.TryAdd(new MonitoredHost(stored.HostId, stored.AgentAddresses, stored.Cluster,
                    new HostHealthTracker(options.Value.MissesBeforeSuspect, stored.Status, stored.StatusReason)));
            }
        }
    }

    private void TakeOverGainedHosts(long epoch, IReadOnlyList<MonitoredHost> owned)
    {
        var ownedIds = owned.Select(h => h.HostId).ToHashSet();
        var gained = owned.Where(h => !_owned.Contains(h.HostId)).ToList();
        var released = _owned.Count(id => !ownedIds.Contains(id));
        foreach (var host in gained) host.TakeOver(options.Value.MissesBeforeSuspect);
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

        // Memory changes only once the change is stored and announced; if that fails (database
        // away), the next ping proposes it again.
        if (change is not null)
            await announcer.CommitAsync(host, change, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Up to <see cref="HostMonitorOptions.PingAttempts"/> tries, all within one ping timeout.
    /// </summary>
    /// <returns>Null when the host answered, else the last error.</returns>
    private async Task<string?> PingWithRetriesAsync(MonitoredHost host, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.PingTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _ping.ExecuteAsync(static (call, token) => new ValueTask(call.Agents.PingAsync(call.Host.AgentAddresses, call.Host.HostId, token)),
                (Agents: agents, Host: host), linked.Token);
            return null;
        }
        catch (AgentUnavailableException failure)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return failure.Message;
        }
    }

    /// <summary>
    /// A failed try is tried again at once (a lost packet or a refused connection is not a miss),
    /// unless the ping timeout, which the caller's token carries, has run out.
    /// </summary>
    private static ResiliencePipeline PingPipeline(HostMonitorOptions options, TimeProvider clock)
    {
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = clock };
        if (options.PingAttempts > 1)
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is AgentUnavailableException && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = options.PingAttempts - 1,
                Delay = TimeSpan.Zero,
            });
        return pipeline.Build();
    }

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Ring epoch {Epoch}: took over {Gained} hosts, released {Released}; watching {Owned}")]
    private partial void LogOwnershipChanged(long epoch, int gained, int released, int owned);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "Database away: pinging the hosts as last known")]
    private partial void LogStoreAway(Exception exception);

    [LoggerMessage(EventId = 205, Level = LogLevel.Error, Message = "Ping round failed; trying again next interval")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Ping of host {HostId} could not be processed; its next ping tries again")]
    private partial void LogPingRoundFailed(Exception exception, string hostId);
}
