using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Scheduling;
using Dapper;
using MassTransit;
using Npgsql;

namespace CloudBus.ServiceDefaults.Sagas;

/// <summary>
/// One transaction on a saga table: the unit MassTransit's load, consume and save of one message
/// run in. Concurrency is optimistic: nothing is locked while the saga consumes, and every write
/// checks the version it read, so a writer that lost a race gets a <see cref="ConcurrencyException"/>
/// and its transaction (and so everything it wrote) is rolled back; the message's retry then reads
/// the winner's state. Disposing without <see cref="CommitAsync"/> rolls back. Begun by
/// <see cref="PostgresSagaTable{TSaga}.BeginSessionAsync"/>.
/// </summary>
public sealed class PostgresSagaSession<TSaga> : IAsyncDisposable
    where TSaga : class, ISagaVersion
{
    private readonly PostgresSagaTable<TSaga> _table;

    private PostgresSagaSession(PostgresSagaTable<TSaga> table, UnitOfWork work)
    {
        _table = table;
        Work = work;
    }

    /// <summary>The transaction the saga is loaded, consumed and saved in; steps write their own rows and messages here.</summary>
    public UnitOfWork Work { get; }

    private NpgsqlConnection Connection => Work.Connection;
    private NpgsqlTransaction Transaction => Work.Transaction;

    // Read committed is enough: each statement sees what committed before it, and the version
    // check in UPDATE and DELETE is evaluated again on the newest row after waiting for a
    // concurrent writer, so a lost race shows up as zero rows rather than as a silent overwrite.
    internal static async Task<PostgresSagaSession<TSaga>> BeginAsync(
        NpgsqlDataSource dataSource, PostgresSagaTable<TSaga> table, ScheduledMessages? outbox, CancellationToken cancellationToken) =>
        new(table, await UnitOfWork.BeginAsync(dataSource, outbox, cancellationToken));

    /// <returns>The instance with <see cref="ISagaVersion.Version"/> as stored, or null when there is none.</returns>
    public async Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        var rows = await Connection.QueryAsync<(int Version, string Data)>(new CommandDefinition(
            _table.SelectSql, new { id = correlationId }, Transaction, cancellationToken: cancellationToken));
        return rows.Select(row => PostgresSagaTable<TSaga>.Deserialize(row.Data, row.Version)).SingleOrDefault();
    }

    /// <summary>
    /// Inserts a new instance as version 1. If another transaction is inserting the same id, this
    /// waits for it; if that one commits, nothing is written here.
    /// </summary>
    /// <returns>False when an instance with this id already exists (this one was not written).</returns>
    public async Task<bool> TryInsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        saga.Version = 1;
        var inserted = await Connection.ExecuteAsync(new CommandDefinition(_table.InsertSql, new
        {
            id = saga.CorrelationId, state = _table.CurrentStateOf(saga), version = saga.Version, data = PostgresSagaTable<TSaga>.Serialize(saga),
        }, Transaction, cancellationToken: cancellationToken));
        return inserted == 1;
    }

    /// <exception cref="ConcurrencyException">An instance with this id already exists.</exception>
    public async Task InsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        if (!await TryInsertAsync(saga, cancellationToken))
            throw Conflict(saga, "was created concurrently by another message");
    }

    /// <summary>Writes the instance over the version it was loaded with and bumps <see cref="ISagaVersion.Version"/>.</summary>
    /// <exception cref="ConcurrencyException">The stored version is no longer the one loaded (or the row is gone).</exception>
    public async Task UpdateAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var expected = saga.Version;
        saga.Version = expected + 1;
        var updated = await Connection.ExecuteAsync(new CommandDefinition(_table.UpdateSql, new
        {
            id = saga.CorrelationId, state = _table.CurrentStateOf(saga), version = saga.Version, expected, data = PostgresSagaTable<TSaga>.Serialize(saga),
        }, Transaction, cancellationToken: cancellationToken));
        if (updated == 1) return;
        saga.Version = expected;
        throw Conflict(saga, $"changed since version {expected} was loaded");
    }

    /// <exception cref="ConcurrencyException">The stored version is no longer the one loaded (or the row is gone).</exception>
    public async Task DeleteAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var deleted = await Connection.ExecuteAsync(new CommandDefinition(
            _table.DeleteSql, new { id = saga.CorrelationId, expected = saga.Version }, Transaction, cancellationToken: cancellationToken));
        if (deleted != 1)
            throw Conflict(saga, $"changed since version {saga.Version} was loaded, so it was not deleted");
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Work.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync() => Work.DisposeAsync();

    private ConcurrencyException Conflict(TSaga saga, string what) =>
        new($"{typeof(TSaga).Name} {saga.CorrelationId} in {_table.Name} {what}; the message will be retried on the current state.",
            typeof(TSaga), saga.CorrelationId);
}
