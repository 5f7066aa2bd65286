using MassTransit;

namespace CloudBus.HaOrchestrator.Sagas;

/// <summary>
/// The investigation saga's endpoint: messages that lost an optimistic-concurrency race are run
/// again against the saga as saved. (Its commands need no in-memory outbox: the steps put them in
/// the Postgres outbox in the saga's own transaction, so a failed save sends nothing.)
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
    }
}
