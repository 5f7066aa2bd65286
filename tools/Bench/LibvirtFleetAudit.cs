using CloudBus.HostAgent.Libvirt;

namespace CloudBus.Bench;

/// <summary>
/// The truth about libvirt hosts, from libvirt itself (for ./bench.sh ha-libvirt and the tests): every 100 ms it lists the running domains
/// of every daemon (its own connections, not the agents') and records any VM running on two hosts
/// in the same listing. A daemon that cannot be reached (its host lost power) runs nothing.
/// </summary>
public sealed class LibvirtFleetAudit : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<string, LibvirtConnection> _hosts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<string> _doubleRuns = [];
    private readonly Dictionary<string, HashSet<string>> _seenOn = [];
    private readonly Task _polling;

    public LibvirtFleetAudit(IReadOnlyDictionary<string, string> uriByHost)
    {
        _hosts = uriByHost.ToDictionary(h => h.Key, h => new LibvirtConnection(h.Value, DomainXml.Namespace));
        _polling = Task.Run(PollAsync);
    }

    /// <summary>"vm on host-1 and host-2 at ..." for every listing that had a VM on two hosts.</summary>
    public IReadOnlyList<string> DoubleRuns
    {
        get { lock (_gate) return [.. _doubleRuns]; }
    }

    /// <summary>The hosts a VM was ever seen running on, in no order.</summary>
    public IReadOnlySet<string> HostsOf(string vmId)
    {
        lock (_gate) return _seenOn.TryGetValue(vmId, out var hosts) ? new HashSet<string>(hosts) : [];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try { await _polling; }
        catch (OperationCanceledException) { }
        foreach (var connection in _hosts.Values) connection.Dispose();
        _stopping.Dispose();
    }

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(_stopping.Token))
        {
            var running = _hosts.SelectMany(host => RunningOn(host.Value).Select(vm => (Vm: vm, Host: host.Key))).ToList();
            lock (_gate)
            {
                foreach (var (vm, host) in running)
                {
                    if (!_seenOn.TryGetValue(vm, out var hosts)) _seenOn[vm] = hosts = [];
                    hosts.Add(host);
                }
                foreach (var twice in running.GroupBy(r => r.Vm).Where(g => g.Count() > 1))
                    _doubleRuns.Add($"{twice.Key} on {string.Join(" and ", twice.Select(r => r.Host))} at {DateTimeOffset.UtcNow:O}");
            }
        }
    }

    private static List<string> RunningOn(LibvirtConnection host)
    {
        try
        {
            return host.ListActiveDomains().Where(d => DomainXml.Read(d.Metadata) is not null).Select(d => d.Name).ToList();
        }
        catch (LibvirtException)
        {
            return [];
        }
    }
}
