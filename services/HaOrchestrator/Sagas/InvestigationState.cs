using MassTransit;

namespace CloudBus.HaOrchestrator.Sagas;

/// <summary>
/// One investigation of a suspect host, persisted in <c>ha_orchestrator.investigations</c>. Its id
/// is derived from the host id, so there is at most one per host and every instance finds it.
/// </summary>
public sealed class InvestigationState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = "";

    public string HostId { get; set; } = "";
    /// <summary>The incident this investigation writes its timeline to; empty for a duplicate suspicion.</summary>
    public Guid IncidentId { get; set; }
    /// <summary>The current round; answers and timers of older rounds are ignored.</summary>
    public int Attempt { get; set; }
    public DateTimeOffset SuspectedAt { get; set; }
}
