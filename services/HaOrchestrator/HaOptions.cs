using System.ComponentModel.DataAnnotations;

namespace CloudBus.HaOrchestrator;

/// <summary>
/// HaOrchestrator settings, section <c>Ha</c>: investigation, fencing by self-fence, the brake, and
/// restarts. Defaults follow ARCHITECTURE.md section 5; BMC settings are in <c>Fencing</c>.
/// </summary>
public sealed class HaOptions : IValidatableObject
{
    public const string Section = "Ha";

    /// <value>Neighbours in the suspect's cluster asked to read its heartbeat and reach it. Default 3.</value>
    [Range(1, 16, ErrorMessage = "Ha:NeighboursToAsk must be between 1 and 16.")]
    public int NeighboursToAsk { get; set; } = 3;

    /// <value>A storage heartbeat not advanced for this long is stale. Default 10 s; must match the agents' setting and exceed their self-fence time.</value>
    public TimeSpan HeartbeatStaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <value>How often a neighbour is asked for the heartbeat while watching it. Default 1 s (the agents write every 2 s).</value>
    public TimeSpan HeartbeatReadInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <value>Timeout of one call to a host agent (direct check, one neighbour reading). Default 2 s.</value>
    public TimeSpan AgentCallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <value>The agents' self-fence time: a host that cannot write its heartbeat this long kills its VMs. Default 8 s; must match the agents.</value>
    public TimeSpan SelfFenceAfter { get; set; } = TimeSpan.FromSeconds(8);

    /// <value>Added to the self-fence time before a silent heartbeat counts as proof (read delays, clock skew). Default 2 s.</value>
    public TimeSpan SelfFenceMargin { get; set; } = TimeSpan.FromSeconds(2);

    /// <value>Largest share of a cluster's hosts that may be suspect at once for fencing to go ahead without an operator. Default 0.5.</value>
    [Range(0.0, 1.0, ErrorMessage = "Ha:MaxSuspectShare must be between 0 and 1.")]
    public double MaxSuspectShare { get; set; } = 0.5;

    /// <value>How long an investigation round may take before it counts as failed. Default 30 s.</value>
    public TimeSpan InvestigationDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <value>How long fencing may take before it counts as failed. Default 60 s.</value>
    public TimeSpan FencingDeadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <value>Wait before investigating again after an undetermined verdict or a failed fence. Default 5 s.</value>
    public TimeSpan InvestigationRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <value>How often a host found alive but unreachable (Disconnected) is investigated again, in case it dies later. Default 30 s.</value>
    public TimeSpan DisconnectedRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <value>Wait before a failed restart is tried again. Default 10 s.</value>
    public TimeSpan RestartRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <value>Start attempts per restart before HA gives up with an alert. Default 5.</value>
    [Range(1, 100, ErrorMessage = "Ha:RestartMaxAttempts must be between 1 and 100.")]
    public int RestartMaxAttempts { get; set; } = 5;

    /// <value>Start attempts in flight at once per instance (asked for, end not yet heard). Default 16.</value>
    [Range(1, 256, ErrorMessage = "Ha:RestartParallelism must be between 1 and 256.")]
    public int RestartParallelism { get; set; } = 16;

    /// <value>
    /// How long a start attempt may go unanswered before the restart is tried again (by any
    /// instance). Default 60 s. An answer comes even when the instances that asked or ran the start
    /// die; this only covers a start that is lost altogether.
    /// </value>
    public TimeSpan RestartLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <value>A VM that needed this many restarts within <see cref="QuarantineWindow"/> is quarantined, not restarted again. Default 3.</value>
    [Range(1, 100, ErrorMessage = "Ha:QuarantineAfterRestarts must be between 1 and 100.")]
    public int QuarantineAfterRestarts { get; set; } = 3;

    /// <value>See <see cref="QuarantineAfterRestarts"/>. Default 10 min.</value>
    public TimeSpan QuarantineWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <value>
    /// After an admin changes a host's BMC, fencing that host through it waits for an operator's
    /// approval for this long: a BMC address just pointed elsewhere is the one mistake (or attack)
    /// that powers off the wrong machine. 0 turns the hold off. Default 15 min.
    /// </value>
    public TimeSpan BmcChangeNeedsApprovalFor { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
                 {
                     ("HeartbeatStaleAfter", HeartbeatStaleAfter), ("HeartbeatReadInterval", HeartbeatReadInterval), ("AgentCallTimeout", AgentCallTimeout),
                     ("SelfFenceAfter", SelfFenceAfter), ("InvestigationDeadline", InvestigationDeadline), ("FencingDeadline", FencingDeadline),
                     ("InvestigationRetryInterval", InvestigationRetryInterval), ("DisconnectedRecheckInterval", DisconnectedRecheckInterval),
                     ("RestartRetryInterval", RestartRetryInterval), ("RestartLease", RestartLease),
                     ("QuarantineWindow", QuarantineWindow),
                 })
        {
            if (value <= TimeSpan.Zero) yield return new ValidationResult($"Ha:{name} must be positive.");
        }
        if (BmcChangeNeedsApprovalFor < TimeSpan.Zero)
            yield return new ValidationResult("Ha:BmcChangeNeedsApprovalFor must not be negative (0 turns the hold off).");
        if (SelfFenceMargin < TimeSpan.Zero)
            yield return new ValidationResult("Ha:SelfFenceMargin must not be negative.");
        if (SelfFenceAfter >= HeartbeatStaleAfter)
            yield return new ValidationResult("Ha:SelfFenceAfter must be shorter than Ha:HeartbeatStaleAfter: a host must kill its VMs before its silence counts as death.");
        if (InvestigationDeadline <= HeartbeatStaleAfter + HeartbeatReadInterval + AgentCallTimeout)
            yield return new ValidationResult("Ha:InvestigationDeadline must exceed Ha:HeartbeatStaleAfter plus one read interval and one agent call: a round needs that long to see a heartbeat go stale.");
    }
}
