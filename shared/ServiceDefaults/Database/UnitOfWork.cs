using CloudBus.ServiceDefaults.Scheduling;
using Npgsql;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>
/// One transaction in which a state change and the messages announcing it are written together
/// (the outbox): either both commit, or neither does. The messages leave once committed, through
/// <see cref="ScheduledMessages"/>; nothing is published from memory before the database has the change.
/// Disposing without <see cref="CommitAsync"/> rolls everything back.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly ScheduledMessages? _outbox;
    private readonly bool _ownsConnection;
    private bool _enqueued;
    private List<Action>? _committed;

    /// <param name="outbox">Where announcements go; null for a unit that only changes state.</param>
    /// <param name="ownsConnection">Whether disposing also closes the connection.</param>
    private UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction, ScheduledMessages? outbox, bool ownsConnection = true)
    {
        Connection = connection;
        Transaction = transaction;
        _outbox = outbox;
        _ownsConnection = ownsConnection;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    /// <summary>Opens a connection and begins a read-committed transaction on it.</summary>
    public static async Task<UnitOfWork> BeginAsync(NpgsqlDataSource dataSource, ScheduledMessages? outbox, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
            return new UnitOfWork(connection, transaction, outbox);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Begins a read-committed transaction on a connection the caller keeps (one that holds a
    /// session-level lock, for example): disposing the unit leaves the connection open.
    /// </summary>
    public static async Task<UnitOfWork> BeginOnAsync(NpgsqlConnection connection, ScheduledMessages? outbox, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        return new UnitOfWork(connection, transaction, outbox, ownsConnection: false);
    }

    /// <summary>Publishes <paramref name="message"/> (at <paramref name="dueAt"/>, or now) if this unit commits.</summary>
    public async Task PublishAsync<T>(T message, DateTimeOffset? dueAt = null) where T : class
    {
        await Outbox.EnqueueAsync(this, message, dueAt);
        _enqueued = true;
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="destination"/> (at <paramref name="dueAt"/>, or now) if this unit commits.</summary>
    public async Task SendAsync<T>(Uri destination, T message, DateTimeOffset? dueAt = null) where T : class
    {
        await Outbox.EnqueueSendAsync(this, destination, message, dueAt);
        _enqueued = true;
    }

    /// <summary>
    /// Runs <paramref name="action"/> once this unit has committed, and never if it rolls back: for
    /// what memory keeps about the change (metrics), which must follow the database, never lead it.
    /// A step that is retried after a lost race records its facts once, from the attempt that committed.
    /// </summary>
    public void OnCommitted(Action action) => (_committed ??= []).Add(action);

    /// <summary>
    /// Commits, then wakes the outbox so that what was enqueued leaves at once. If the server dies
    /// while the COMMIT is on its way (a failover), this throws a transient error and nobody can
    /// tell whether the unit committed: the caller does the work again (the message is retried,
    /// the round runs again). That is safe only because every effect is keyed so that doing it
    /// twice changes nothing: operation ids, (VM, incarnation), saga versions and attempts, times
    /// on status copies (README: PostgreSQL failover cluster). Work that cannot be redone by its
    /// caller is settled by someone else, never left half done (VmLifecycle's abandoned operations).
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        if (_enqueued) _outbox?.Notify();
        // Only after a commit that returned: a commit whose outcome is unknown (see above) is done
        // again by its caller, and counts then.
        foreach (var action in _committed ?? []) action();
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        if (_ownsConnection) await Connection.DisposeAsync();
    }

    private ScheduledMessages Outbox =>
        _outbox ?? throw new InvalidOperationException("This unit of work has no outbox: it cannot announce anything.");
}
