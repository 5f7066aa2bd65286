using System.Diagnostics.Metrics;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Telemetry;

namespace CloudBus.HaOrchestrator;

/// <summary>
/// HA's own metrics (meter <c>ha-orchestrator</c>): how long each stage of a host failure took,
/// and how often HA suspected, was wrong, fenced, restarted, gave up and quarantined. Each fact is
/// recorded where the step that makes it true is written, and only once that step's transaction
/// has committed (<see cref="UnitOfWork.OnCommitted"/>): a step retried after a lost race counts once.
/// <para>
/// A host's failure is dated as its incident dates it: its last good ping (the last moment it was
/// known to work), or the suspicion itself for a host that never answered one. The stages follow
/// each other: detection (failure to suspicion), investigation (suspicion to the Down verdict),
/// fencing (fencing asked to fencing proven), then failure to each VM running again and failure
/// to the last of the host's VMs running again.
/// </para>
/// </summary>
public sealed class HaMetrics
{
    public static readonly MetricName DetectionDuration = new("cloudbus.ha.detection.duration", "s", MetricKind.Histogram,
        "From a host's last good ping to its suspicion");
    public static readonly MetricName InvestigationDuration = new("cloudbus.ha.investigation.duration", "s", MetricKind.Histogram,
        "From a host's suspicion to the verdict Down");
    public static readonly MetricName FencingDuration = new("cloudbus.ha.fencing.duration", "s", MetricKind.Histogram,
        "From asking for a host to be fenced to the proof that it is");
    public static readonly MetricName VmRestartDuration = new("cloudbus.ha.vm_restart.duration", "s", MetricKind.Histogram,
        "From a host's failure to one of its VMs running again elsewhere");
    public static readonly MetricName HostRecoveryDuration = new("cloudbus.ha.host_recovery.duration", "s", MetricKind.Histogram,
        "From a host's failure to all of its restarted VMs running again");
    public static readonly MetricName Suspicions = new("cloudbus.ha.suspicions", "{suspicion}", MetricKind.Counter,
        "Suspicions that opened an incident");
    public static readonly MetricName FalseAlarms = new("cloudbus.ha.false_alarms", "{incident}", MetricKind.Counter,
        "Incidents whose host turned out alive (found alive, or answering again) before any Down verdict");
    public static readonly MetricName Fences = new("cloudbus.ha.fences", "{fence}", MetricKind.Counter,
        "Hosts proven fenced, by method");
    public static readonly MetricName Restarts = new("cloudbus.ha.restarts", "{vm}", MetricKind.Counter,
        "VMs HA restarted (running again), by cause");
    public static readonly MetricName GiveUps = new("cloudbus.ha.give_ups", "{vm}", MetricKind.Counter,
        "Restarts that failed for good (every attempt failed, or the last went unanswered)");
    public static readonly MetricName Quarantines = new("cloudbus.ha.quarantines", "{vm}", MetricKind.Counter,
        "VMs left for an operator because they were restarted too often lately");

    public static readonly IReadOnlyList<MetricName> All =
    [
        DetectionDuration, InvestigationDuration, FencingDuration, VmRestartDuration, HostRecoveryDuration,
        Suspicions, FalseAlarms, Fences, Restarts, GiveUps, Quarantines,
    ];

    // Seconds, from a sub-second detection on a test stack to the minutes CloudStack-like settings
    // take (the SDK's default buckets are for milliseconds and would put every sample in one).
    private static readonly double[] Buckets = [0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600];

    private readonly Histogram<double> _detection;
    private readonly Histogram<double> _investigation;
    private readonly Histogram<double> _fencing;
    private readonly Histogram<double> _vmRestart;
    private readonly Histogram<double> _hostRecovery;
    private readonly Counter<long> _suspicions;
    private readonly Counter<long> _falseAlarms;
    private readonly Counter<long> _fences;
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _giveUps;
    private readonly Counter<long> _quarantines;

    public HaMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("ha-orchestrator");
        _detection = Histogram(meter, DetectionDuration);
        _investigation = Histogram(meter, InvestigationDuration);
        _fencing = Histogram(meter, FencingDuration);
        _vmRestart = Histogram(meter, VmRestartDuration);
        _hostRecovery = Histogram(meter, HostRecoveryDuration);
        _suspicions = Counter(meter, Suspicions);
        _falseAlarms = Counter(meter, FalseAlarms);
        _fences = Counter(meter, Fences);
        _restarts = Counter(meter, Restarts);
        _giveUps = Counter(meter, GiveUps);
        _quarantines = Counter(meter, Quarantines);
    }

    /// <summary>A suspicion opened an incident; <paramref name="failedAt"/> as the incident dates the failure.</summary>
    public void Suspected(UnitOfWork work, DateTimeOffset failedAt, DateTimeOffset suspectedAt) => work.OnCommitted(() =>
    {
        _suspicions.Add(1);
        _detection.Record(Seconds(failedAt, suspectedAt));
    });

    /// <summary>The first Down verdict of an incident.</summary>
    public void JudgedDown(UnitOfWork work, DateTimeOffset suspectedAt, DateTimeOffset at) =>
        work.OnCommitted(() => _investigation.Record(Seconds(suspectedAt, at)));

    /// <param name="how"><c>alive</c> (an Alive verdict) or <c>recovered</c> (the host answered pings again).</param>
    public void FalseAlarm(UnitOfWork work, string how) =>
        work.OnCommitted(() => _falseAlarms.Add(1, new KeyValuePair<string, object?>("how", how)));

    /// <param name="askedAt">When fencing was asked for; null for an investigation saved before it was kept (an upgrade mid-incident).</param>
    public void Fenced(UnitOfWork work, string method, DateTimeOffset? askedAt, DateTimeOffset provenAt) => work.OnCommitted(() =>
    {
        _fences.Add(1, new KeyValuePair<string, object?>("method", MethodTag(method)));
        if (askedAt is { } at) _fencing.Record(Seconds(at, provenAt));
    });

    /// <param name="failedAt">The failure of the host it ran on; null for a VM that failed on its own (no incident).</param>
    public void Restarted(UnitOfWork work, DateTimeOffset? failedAt, DateTimeOffset runningAt) => work.OnCommitted(() =>
    {
        _restarts.Add(1, new KeyValuePair<string, object?>("cause", failedAt is null ? "vm_failure" : "host_failure"));
        if (failedAt is { } at) _vmRestart.Record(Seconds(at, runningAt));
    });

    public void HostRecovered(UnitOfWork work, DateTimeOffset failedAt, DateTimeOffset lastRunningAt) =>
        work.OnCommitted(() => _hostRecovery.Record(Seconds(failedAt, lastRunningAt)));

    public void GaveUp(UnitOfWork work) => work.OnCommitted(() => _giveUps.Add(1));

    public void Quarantined(UnitOfWork work, int vms)
    {
        if (vms > 0) work.OnCommitted(() => _quarantines.Add(vms));
    }

    /// <summary>The fencing step's name as a tag value from a closed set (a free text would make a series per spelling).</summary>
    public static string MethodTag(string method) => method switch
    {
        Fencing.FencingChain.BmcPowerOff => "bmc_power_off",
        Fencing.FencingChain.SelfFence => "self_fence",
        _ => "other",
    };

    // A clock step backwards must not record a negative time (histograms refuse nothing, and a
    // negative sum would corrupt averages): such a sample counts as zero.
    private static double Seconds(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (to - from).TotalSeconds);

    private static Histogram<double> Histogram(Meter meter, MetricName name) =>
        meter.CreateHistogram(name.Name, name.Unit, name.Description, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });

    private static Counter<long> Counter(Meter meter, MetricName name) => meter.CreateCounter<long>(name.Name, name.Unit, name.Description);
}
