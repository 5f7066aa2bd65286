using MassTransit;

namespace CloudBus.HaOrchestrator.Sagas;

/// <summary>
/// The investigation saga's endpoint: messages that lost an optimistic-concurrency race are run
/// again against the saga as saved, and commands the saga sends leave only after it is saved
/// (so a failed save sends nothing, and the retry sends once).
/// </summary>
public sealed class InvestigationStateDefinition : SagaDefinition<InvestigationState>
{
    protected override void ConfigureSaga(
        IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<InvestigationState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            retry.Intervals(20, 50, 100, 200, 500, 1000);
        });
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
