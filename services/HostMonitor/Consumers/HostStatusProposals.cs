using CloudBus.HostMonitor.Monitoring;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>
/// A status change that comes from a message (a verdict, maintenance) rather than a ping: any
/// instance may commit it, whoever watches the host; the stored status decides between them. An
/// instance whose memory of the host was stale takes the stored status and asks again once.
/// </summary>
public static class HostStatusProposals
{
    public static async Task CommitAsync(
        HostStatusAnnouncer announcer, MonitoredHost host, Func<HostHealthTracker, HostHealthChange?> propose, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            HostHealthChange? change;
            lock (host) change = propose(host.Tracker);
            if (change is null || await announcer.CommitAsync(host, change, at, cancellationToken)) return;
        }
    }
}
