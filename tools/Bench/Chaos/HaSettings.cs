using CloudBus.Messages.Ha;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// The HA settings the chaos runs the services with (HaOrchestrator's defaults, written out here so
/// that the services and the overdue rule below read the same numbers), and from them how long an
/// open incident may go without a new step in its timeline before it counts as overdue.
/// </summary>
public static class HaSettings
{
    private static readonly TimeSpan InvestigationDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FencingDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InvestigationRetryInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DisconnectedRecheckInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RestartRetryInterval = TimeSpan.FromSeconds(10);
    private const int RestartMaxAttempts = 5;
    private static readonly TimeSpan RestartLease = TimeSpan.FromSeconds(60);
    /// <summary>VmLifecycle's default timeout of one call to an agent: a start on a host that just died takes this long to fail.</summary>
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What the chaos itself may add to any step: a Postgres failover (writes blocked ~10-15 s), a
    /// broker node lost (a reconnect, ~1-5 s), a killed instance's work taken over (two missed
    /// membership rounds of 2 s, then its ring moves), all on a loaded 2-core machine.
    /// </summary>
    public static readonly TimeSpan ChaosSlack = TimeSpan.FromSeconds(60);

    public static IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Ha__InvestigationDeadline", $"{InvestigationDeadline}"),
        new("Ha__FencingDeadline", $"{FencingDeadline}"),
        new("Ha__InvestigationRetryInterval", $"{InvestigationRetryInterval}"),
        new("Ha__DisconnectedRecheckInterval", $"{DisconnectedRecheckInterval}"),
        new("Ha__RestartRetryInterval", $"{RestartRetryInterval}"),
        new("Ha__RestartMaxAttempts", $"{RestartMaxAttempts}"),
        new("Ha__RestartLease", $"{RestartLease}"),
        new("VmLifecycle__AgentTimeout", $"{AgentTimeout}"),
        // The chaos fails the same hosts again and again on purpose, so a VM may need three restarts
        // within ten minutes; by default HA then quarantines it for an operator (by design, not a
        // loss). Here every restart must happen, so the quarantine is out of reach.
        new("Ha__QuarantineAfterRestarts", "100"),
    ];

    /// <summary>
    /// How long an incident in <paramref name="status"/> may go without a new timeline step (every
    /// transition of the investigation writes one, and so does every restart that ends), or null
    /// when the status is final. Each status has the deadline the investigation saga sets for it,
    /// plus <see cref="ChaosSlack"/>:
    /// Investigating ends within the investigation deadline (a verdict, or "No verdict");
    /// Undetermined and FencingFailed are investigated again after the retry interval; Disconnected
    /// after the recheck interval; Fencing ends within the fencing deadline; Restarting gets a step
    /// whenever one of its restarts ends, and a restart ends within its attempts (each waits the
    /// retry interval and may spend an agent timeout on a host that just died) plus one lease for an
    /// attempt lost altogether. Fenced before its VMs are released (one command to VmLifecycle) and
    /// AwaitingOperator (the brake, which the chaos keeps out of reach: never half the fleet down)
    /// have no deadline of their own: the slack alone.
    /// </summary>
    public static TimeSpan? StepBound(IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => InvestigationDeadline + ChaosSlack,
        IncidentStatus.Undetermined or IncidentStatus.FencingFailed => InvestigationRetryInterval + ChaosSlack,
        IncidentStatus.Disconnected => DisconnectedRecheckInterval + ChaosSlack,
        IncidentStatus.Fencing => FencingDeadline + ChaosSlack,
        IncidentStatus.Restarting => RestartMaxAttempts * (RestartRetryInterval + AgentTimeout) + RestartLease + ChaosSlack,
        IncidentStatus.Fenced or IncidentStatus.AwaitingOperator => ChaosSlack,
        _ => null,
    };
}
