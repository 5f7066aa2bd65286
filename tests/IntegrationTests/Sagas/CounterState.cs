using MassTransit;

namespace CloudBus.IntegrationTests.Sagas;

/// <summary>The test saga's instance: how many increments it has seen.</summary>
public sealed class CounterState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int Version { get; set; }
    public int Count { get; set; }
    public string? Label { get; set; }
}
