using MassTransit;

namespace CloudBus.HaOrchestrator.Sagas;

/// <summary>
/// One investigation of one suspicion of a host, persisted in <c>ha_orchestrator.investigations</c>.
/// Its id is derived from the host and the moment it became suspect, and is also the id of its
/// incident: a redelivered suspicion finds it, and a later failure of the same host is a new one.
/// </summary>
public sealed class InvestigationState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = "";

    public string HostId { get; set; } = "";
    /// <summary>The current round; answers and timers of older rounds are ignored.</summary>
    public int Attempt { get; set; }
    public DateTimeOffset SuspectedAt { get; set; }

    // For HA's metrics (HaMetrics), kept in the saga's own row so that they commit with its steps.
    /// <summary>When the first Down verdict came: later Down verdicts (after a failed fencing) are not a new investigation.</summary>
    public DateTimeOffset? JudgedDownAt { get; set; }
    /// <summary>When fencing was last asked for.</summary>
    public DateTimeOffset? FencingAskedAt { get; set; }
    /// <summary>Whether this incident was counted as a false alarm (a host found alive is rechecked, and may be found alive again).</summary>
    public bool CountedFalseAlarm { get; set; }
}
