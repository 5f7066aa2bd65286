using System.Collections.Concurrent;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>The hosts this instance watches, by id. Filled from the database at start and by HostRegistered.</summary>
public sealed class MonitoredHosts
{
    private readonly ConcurrentDictionary<string, MonitoredHost> _hosts = new(StringComparer.Ordinal);

    public bool TryAdd(MonitoredHost host) => _hosts.TryAdd(host.HostId, host);

    public MonitoredHost? Find(string hostId) => _hosts.GetValueOrDefault(hostId);

    public IReadOnlyCollection<MonitoredHost> All => _hosts.Values.ToList();
}
