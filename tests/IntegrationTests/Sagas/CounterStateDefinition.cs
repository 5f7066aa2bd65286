using MassTransit;

namespace CloudBus.IntegrationTests.Sagas;

/// <summary>The endpoint policy a saga on the Postgres repository wants.</summary>
public sealed class CounterStateDefinition : SagaDefinition<CounterState>
{
    public CounterStateDefinition() => ConcurrentMessageLimit = 8;

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<CounterState> sagaConfigurator,
        IRegistrationContext context)
    {
        // A lost race throws ConcurrencyException and leaves nothing written: consuming the message
        // again on the winner's state resolves it. Among 8 messages in flight one wins each round,
        // so 200 immediate tries make running out practically impossible.
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            retry.Immediate(200);
        });
        // Events the saga publishes leave only once its state is saved.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
