using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>A host this instance watches: where its agent is (every address, tried in order), and its ping history.</summary>
public sealed class MonitoredHost(string hostId, IReadOnlyList<Uri> agentAddresses, string cluster, HostHealthTracker tracker)
{
    public string HostId { get; } = hostId;
    public IReadOnlyList<Uri> AgentAddresses { get; } = agentAddresses;
    public string Cluster { get; } = cluster;

    /// <summary>Guarded by locking this object: the ping loop writes it while the API reads it.</summary>
    public HostHealthTracker Tracker { get; private set; } = tracker;

    /// <summary>
    /// Starts this host's ping history afresh, keeping its status, when this instance takes the
    /// host over from another (whose in-memory history is gone with it).
    /// </summary>
    public void TakeOver(int missesBeforeSuspect)
    {
        lock (this) Tracker = new HostHealthTracker(missesBeforeSuspect, Tracker.Status, Tracker.Reason);
    }

    public HostStatus Status
    {
        get { lock (this) return Tracker.Status; }
    }

    public HostSnapshot Snapshot()
    {
        lock (this)
            return new HostSnapshot(HostId, [.. AgentAddresses.Select(a => a.ToString())], Cluster, Tracker.Status.ToString(), Tracker.Reason,
                Tracker.LastGoodPingAt, Tracker.ConsecutiveMisses, Tracker.Pings, Tracker.RecentErrors);
    }
}
