using CloudBus.ServiceDefaults.Scheduling;
using MassTransit;
using MassTransit.Saga;
using Npgsql;

namespace CloudBus.ServiceDefaults.Sagas;

/// <summary>
/// MassTransit's entry into the saga table for each message: opens a
/// <see cref="PostgresSagaSession{TSaga}"/>, runs load, consume and save in it, and commits only
/// when all of that succeeded. A <see cref="ConcurrencyException"/> (or any other failure) leaves
/// nothing written, so the message's retry starts again from the stored state: the message is
/// neither lost nor applied twice. With the service's <see cref="ScheduledMessages"/> registered, what
/// the saga enqueues in its unit of work leaves once the session commits.
/// </summary>
public sealed class PostgresSagaRepositoryContextFactory<TSaga>(
    NpgsqlDataSource dataSource,
    PostgresSagaTable<TSaga> table,
    ISagaConsumeContextFactory<PostgresSagaSession<TSaga>, TSaga> factory,
    ScheduledMessages? outbox = null)
    : ISagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = await table.BeginSessionAsync(dataSource, context.CancellationToken, outbox);
        await next.Send(new PostgresSagaRepositoryContext<TSaga, T>(session, context, factory));
        // Not cancellable: the saga has consumed the message; a commit abandoned now would only
        // make the redelivered message do the same work again.
        await session.CommitAsync(CancellationToken.None);
    }

    /// <summary>Correlation by a query (<c>CorrelateBy</c>) would need an index on <c>data</c> per expression: not offered.</summary>
    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotSupportedException(
            $"The Postgres saga repository for {typeof(TSaga).Name} ({table.Name}) loads instances by correlation id only, " +
            $"but {typeof(T).Name} is correlated by a query (CorrelateBy). Correlate it by id instead: " +
            "Event(() => X, e => e.CorrelateById(m => m.Message.SomeId)), or let the message implement CorrelatedBy<Guid>.");

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "postgres");
        context.Add("table", table.Name);
    }
}
