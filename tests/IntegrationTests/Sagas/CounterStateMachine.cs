using MassTransit;

namespace CloudBus.IntegrationTests.Sagas;

/// <summary>A tiny state machine for the saga repository tests: started, incremented, finished.</summary>
public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine(CounterProbe probe)
    {
        InstanceState(x => x.CurrentState);
        Event(() => Started, e =>
        {
            e.CorrelateById(m => m.Message.CounterId);
            e.InsertOnInitial = probe.InsertOnInitial;
        });
        Event(() => Incremented, e => e.CorrelateById(m => m.Message.CounterId));
        Event(() => Finished, e => e.CorrelateById(m => m.Message.CounterId));

        Initially(
            When(Started)
                .Then(context => context.Saga.Label = context.Message.Label)
                .TransitionTo(Counting));
        During(Counting,
            Ignore(Started),
            When(Incremented)
                .ThenAsync(async context =>
                {
                    probe.IncrementTried(context.GetRetryAttempt());
                    await probe.LoadedAsync(context.CancellationToken);
                    context.Saga.Count++;
                }),
            When(Finished).Finalize());

        SetCompletedWhenFinalized();
    }

    public State Counting { get; private set; } = null!;
    public Event<CounterStarted> Started { get; private set; } = null!;
    public Event<CounterIncremented> Incremented { get; private set; } = null!;
    public Event<CounterFinished> Finished { get; private set; } = null!;
}
