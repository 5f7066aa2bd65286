using CloudBus.ServiceDefaults.Database;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;

namespace CloudBus.ServiceDefaults.Sagas;

/// <summary>
/// What MassTransit's saga pipe asks of the repository while one message is consumed, all inside
/// one <see cref="PostgresSagaSession{TSaga}"/>. MassTransit calls, in order: <see cref="Insert"/>
/// (only when the saga is configured to insert on initial) or <see cref="Load"/>; then the saga
/// consumes; then <see cref="Update"/> or <see cref="Delete"/> for a loaded instance (delete when
/// it finalized and <c>SetCompletedWhenFinalized</c> is used), or <see cref="Add"/> before and
/// <see cref="Save"/> after consuming for a new one. Whatever throws rolls the session back and the
/// message is retried. The saga sees the session's <see cref="UnitOfWork"/> as a payload of its
/// context (<c>context.GetPayload&lt;UnitOfWork&gt;()</c>), so its steps write in the same transaction.
/// </summary>
public sealed class PostgresSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    private readonly PostgresSagaSession<TSaga> _session;
    private readonly ConsumeContextScope<TMessage> _consumeContext;
    private readonly ISagaConsumeContextFactory<PostgresSagaSession<TSaga>, TSaga> _factory;

    public PostgresSagaRepositoryContext(
        PostgresSagaSession<TSaga> session, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<PostgresSagaSession<TSaga>, TSaga> factory)
        : base(consumeContext)
    {
        _session = session;
        _consumeContext = WithWork(consumeContext);
        _factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_session, WithWork(consumeContext), instance, mode);

    /// <summary>A new instance that is written by <see cref="Save"/> once it has consumed the message.</summary>
    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Add);

    /// <returns>Null when the instance already exists: MassTransit then loads it instead.</returns>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        if (!await _session.TryInsertAsync(instance, CancellationToken))
            return null!; // the interface is not annotated for nulls; MassTransit checks for null here
        return await _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    /// <returns>Null when there is no instance with this id.</returns>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _session.LoadAsync(correlationId, CancellationToken);
        if (instance is null)
            return null!;
        return await _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => _session.InsertAsync(context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<TSaga> context) => _session.UpdateAsync(context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) => _session.DeleteAsync(context.Saga, CancellationToken);

    // Nothing was written for a discarded new instance, and an undone one rolls back with the session.
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    /// <summary>A scope of <paramref name="context"/> that carries this session's unit of work (a fresh scope per attempt, so a retry never sees an old one).</summary>
    private ConsumeContextScope<T> WithWork<T>(ConsumeContext<T> context) where T : class => new(context, _session.Work);
}
