using System.Diagnostics.Metrics;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// How long the last ping and sync rounds took and how much they covered: shown at GET /stats and
/// recorded as metrics (meter <c>host-monitor</c>), so an operator sees whether a round still fits
/// in its interval.
/// </summary>
public sealed class MonitorStats
{
    private readonly Histogram<double> _pingRound;
    private readonly Histogram<double> _syncRound;
    private readonly Counter<long> _vmsCompared;
    private RoundFigures _lastPing = new(0, 0, TimeSpan.Zero);
    private RoundFigures _lastSync = new(0, 0, TimeSpan.Zero);

    public MonitorStats(IMeterFactory meters)
    {
        var meter = meters.Create("host-monitor");
        _pingRound = meter.CreateHistogram<double>("hostmonitor.ping_round.duration", "s", "Time to ping every owned host once");
        _syncRound = meter.CreateHistogram<double>("hostmonitor.sync_round.duration", "s", "Time to sync every owned connected host once");
        _vmsCompared = meter.CreateCounter<long>("hostmonitor.sync.vms_compared", "{vm}", "VMs compared with their host's report");
    }

    public RoundFigures LastPingRound => Volatile.Read(ref _lastPing);
    public RoundFigures LastSyncRound => Volatile.Read(ref _lastSync);

    public void PingRound(int hosts, TimeSpan took)
    {
        Volatile.Write(ref _lastPing, new RoundFigures(hosts, 0, took));
        _pingRound.Record(took.TotalSeconds);
    }

    public void SyncRound(int hosts, long vms, TimeSpan took)
    {
        Volatile.Write(ref _lastSync, new RoundFigures(hosts, vms, took));
        _syncRound.Record(took.TotalSeconds);
        _vmsCompared.Add(vms);
    }
}

/// <summary>One round: hosts covered, VMs compared (sync only), and how long it took.</summary>
public sealed record RoundFigures(int Hosts, long Vms, TimeSpan Took);
