using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using MassTransit;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// Records a host's status change and tells the rest of the system: always HostStatusChanged,
/// plus HostSuspected (with the evidence) or HostRecovered when that is what happened.
/// </summary>
public sealed partial class HostStatusAnnouncer(HostStatusStore store, IBus bus, ServiceIdentity identity, ILogger<HostStatusAnnouncer> logger)
{
    public async Task AnnounceAsync(MonitoredHost host, HostHealthChange change, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await store.SaveStatusAsync(host.HostId, change.From, change.To, change.Reason, at, identity.InstanceId, cancellationToken);
        await bus.Publish(new HostStatusChanged
        {
            HostId = host.HostId, From = change.From, To = change.To, Reason = change.Reason, ChangedAt = at,
        }, cancellationToken);

        if (change.To == HostStatus.Suspect)
        {
            var evidence = host.Snapshot();
            LogSuspected(host.HostId, evidence.ConsecutiveMisses, evidence.LastGoodPingAt);
            await bus.Publish(new HostSuspected
            {
                HostId = host.HostId, LastGoodPingAt = evidence.LastGoodPingAt, ConsecutiveMisses = evidence.ConsecutiveMisses,
                Errors = evidence.RecentErrors, SuspectedAt = at,
            }, cancellationToken);
        }
        else if (change.From is (HostStatus.Suspect or HostStatus.Disconnected or HostStatus.Down) && change.To == HostStatus.Connected)
        {
            LogRecovered(host.HostId);
            await bus.Publish(new HostRecovered { HostId = host.HostId, RecoveredAt = at }, cancellationToken);
        }
        else
        {
            LogStatusChanged(host.HostId, change.From, change.To, change.Reason);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Host {HostId} suspected after {Misses} missed pings (last good ping {LastGoodPingAt:O})")]
    private partial void LogSuspected(string hostId, int misses, DateTimeOffset? lastGoodPingAt);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Host {HostId} recovered: answers pings again")]
    private partial void LogRecovered(string hostId);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Host {HostId} {From} -> {To}: {Reason}")]
    private partial void LogStatusChanged(string hostId, HostStatus from, HostStatus to, string reason);
}
