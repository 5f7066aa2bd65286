using CloudBus.Ring;
using CloudBus.ServiceDefaults;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// Which of the known hosts this instance watches: those the current HostMonitor ring gives to
/// it. Every instance knows every host; the ring splits the watching.
/// </summary>
public sealed class HostOwnership(MonitoredHosts hosts, RingHolder ring, ServiceIdentity identity)
{
    public long Epoch => ring.Current.Epoch;

    public bool Owns(string hostId) => ring.Current.OwnerOf(hostId) == identity.InstanceId;

    /// <summary>The owned hosts under one ring snapshot (taken once, so the answer is consistent).</summary>
    public (long Epoch, IReadOnlyList<MonitoredHost> Hosts) Owned()
    {
        var snapshot = ring.Current;
        return (snapshot.Epoch, hosts.All.Where(h => snapshot.OwnerOf(h.HostId) == identity.InstanceId).ToList());
    }
}
