using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Database;
using Polly;
using Polly.Retry;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// Commits a host's status change and its announcements together: the new status and its history
/// row, HostStatusChanged, and HostSuspected (with the evidence) or HostRecovered when that is what
/// happened, all in one transaction (the outbox). Only then does memory follow. If the database is
/// away, nothing changes anywhere and the next ping (or the message's retry) proposes the change
/// again; if the stored status moved on meanwhile, memory takes the stored one.
/// </summary>
public sealed partial class HostStatusAnnouncer(
    UnitsOfWork units, HostStatusStore store, ServiceIdentity identity, TimeProvider clock, ILogger<HostStatusAnnouncer> logger)
{
    /// <summary>A proposal found stale (memory has taken the stored status meanwhile) is made once more, at once.</summary>
    private readonly ResiliencePipeline<bool> _proposeAgain = new ResiliencePipelineBuilder<bool> { TimeProvider = clock }
        .AddRetry(new RetryStrategyOptions<bool>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: null, Result: false }),
            MaxRetryAttempts = 1,
            Delay = TimeSpan.Zero,
        })
        .Build();

    /// <summary>
    /// A change that comes from a message (a verdict, maintenance) rather than a ping: any
    /// instance may commit it, whoever watches the host; the stored status decides between them. An
    /// instance whose memory of the host was stale takes the stored status and proposes once more.
    /// </summary>
    public async Task CommitProposalAsync(MonitoredHost host, Func<HostHealthTracker, HostHealthChange?> propose, DateTimeOffset at, CancellationToken cancellationToken) =>
        await _proposeAgain.ExecuteAsync(async token =>
        {
            HostHealthChange? change;
            lock (host) change = propose(host.Tracker);
            return change is null || await CommitAsync(host, change, at, token);
        }, cancellationToken);

    /// <returns>True when committed; false when the stored status was no longer the change's starting point (memory now holds the stored one).</returns>
    public async Task<bool> CommitAsync(MonitoredHost host, HostHealthChange change, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var work = await units.BeginAsync(cancellationToken);
        if (await store.TryChangeStatusAsync(work, host.HostId, change, at, identity.InstanceId) is { } stored)
        {
            if (stored.Status is { } status)
                lock (host) host.Tracker.Reload(status, stored.Reason);
            LogStale(host.HostId, change.From, change.To, stored.Status);
            return false;
        }

        await work.PublishAsync(new HostStatusChanged { HostId = host.HostId, From = change.From, To = change.To, Reason = change.Reason, ChangedAt = at });
        var evidence = host.Snapshot();
        var recovered = change.From is HostStatus.Suspect or HostStatus.Disconnected or HostStatus.Down && change.To == HostStatus.Connected;
        if (change.To == HostStatus.Suspect)
            await work.PublishAsync(new HostSuspected
            {
                HostId = host.HostId, LastGoodPingAt = evidence.LastGoodPingAt, ConsecutiveMisses = evidence.ConsecutiveMisses,
                Errors = evidence.RecentErrors, SuspectedAt = at,
            });
        else if (recovered)
            await work.PublishAsync(new HostRecovered { HostId = host.HostId, RecoveredAt = at });
        await work.CommitAsync(cancellationToken);

        lock (host) host.Tracker.Apply(change);
        if (change.To == HostStatus.Suspect)
            LogSuspected(host.HostId, evidence.ConsecutiveMisses, evidence.LastGoodPingAt);
        else if (recovered)
            LogRecovered(host.HostId);
        else
            LogStatusChanged(host.HostId, change.From, change.To, change.Reason);
        return true;
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Host {HostId} suspected after {Misses} missed pings (last good ping {LastGoodPingAt:O})")]
    private partial void LogSuspected(string hostId, int misses, DateTimeOffset? lastGoodPingAt);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Host {HostId} recovered: answers pings again")]
    private partial void LogRecovered(string hostId);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Host {HostId} {From} -> {To}: {Reason}")]
    private partial void LogStatusChanged(string hostId, HostStatus from, HostStatus to, string reason);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "Host {HostId} {From} -> {To} not applied: it is {Stored} now (changed elsewhere); following the stored status")]
    private partial void LogStale(string hostId, HostStatus from, HostStatus to, HostStatus? stored);
}
