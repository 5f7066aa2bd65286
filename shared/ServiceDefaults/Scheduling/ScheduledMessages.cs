using System.Diagnostics;
using System.Text.Json;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Telemetry;
using Dapper;
using Npgsql;

namespace CloudBus.ServiceDefaults.Scheduling;

/// <summary>
/// Messages to publish from Postgres, now or later: an outbox (enqueued in the same transaction as
/// the state change they announce, so a change is never committed without its event) and the
/// project's timer (a message due later: grace periods, retries, deadlines; this RabbitMQ has no
/// delayed-message plugin). <see cref="ScheduledMessageDispatcher"/> publishes due rows, claimed
/// with FOR UPDATE SKIP LOCKED so several instances share the work and none publishes a row twice
/// unless a publish was not committed.
/// </summary>
public sealed class ScheduledMessages(NpgsqlDataSource dataSource, string schema, TimeProvider clock)
{
    /// <summary>
    /// Spans that carry a message's trace across its wait in Postgres: a timer that fires a minute
    /// later still belongs to the trace that set it (one incident, one trace).
    /// </summary>
    public static readonly ActivitySource Tracing = new("CloudBus.Scheduling");

    private readonly WorkSignal _enqueued = new(clock);

    public static string TableDefinition(string schema) => $"""
        CREATE TABLE IF NOT EXISTS "{schema}".scheduled_messages (
            message_id   uuid PRIMARY KEY,
            due_at       timestamptz NOT NULL,
            message_type text        NOT NULL,
            payload      jsonb       NOT NULL,
            parked_why   text);
        ALTER TABLE "{schema}".scheduled_messages ADD COLUMN IF NOT EXISTS trace_parent text;
        ALTER TABLE "{schema}".scheduled_messages ADD COLUMN IF NOT EXISTS destination text;
        CREATE INDEX IF NOT EXISTS scheduled_messages_due ON "{schema}".scheduled_messages (due_at) WHERE parked_why IS NULL;
        -- Commands were once addressed to queue:NAME; now to exchange:NAME, which the receiver binds to
        -- its queue (a sender declaring a quorum queue without its type is refused). Rows from then.
        UPDATE "{schema}".scheduled_messages SET destination = 'exchange:' || substr(destination, 7) WHERE destination LIKE 'queue:%';
        """;

    /// <summary>
    /// Publishes <paramref name="message"/> at <paramref name="dueAt"/> (now when null), if and only
    /// if the caller's transaction commits. Call <see cref="Notify"/> after the commit to have it
    /// published at once rather than at the dispatcher's next round. Only a <see cref="Database.UnitOfWork"/>
    /// calls this (its PublishAsync), and it notifies.
    /// </summary>
    internal Task EnqueueAsync<T>(UnitOfWork work, T message, DateTimeOffset? dueAt = null)
        where T : class =>
        InsertAsync(work, destination: null, message, dueAt);

    /// <summary>
    /// Like <see cref="EnqueueAsync{T}"/>, but sends <paramref name="message"/> to one queue
    /// (<paramref name="destination"/>, for example <c>exchange:vm-lifecycle-commands</c>) instead of publishing it.
    /// </summary>
    internal Task EnqueueSendAsync<T>(UnitOfWork work, Uri destination, T message, DateTimeOffset? dueAt = null)
        where T : class =>
        InsertAsync(work, destination, message, dueAt);

    private async Task InsertAsync<T>(UnitOfWork work, Uri? destination, T message, DateTimeOffset? dueAt)
        where T : class
    {
        await work.Connection.ExecuteAsync($"""
            INSERT INTO "{schema}".scheduled_messages (message_id, due_at, message_type, payload, trace_parent, destination)
            VALUES (@id, @dueAt, @type, CAST(@payload AS jsonb), @traceParent, @destination)
            """, new
            {
                id = Guid.NewGuid(), dueAt = dueAt ?? clock.GetUtcNow(), type = TypeName(typeof(T)),
                payload = JsonSerializer.Serialize(message, JsonSerializerOptions.Web), traceParent = StoredTraces.Current,
                destination = destination?.ToString(),
            },
            work.Transaction);
    }

    /// <summary>A timer on its own: publishes <paramref name="message"/> at <paramref name="dueAt"/>, surviving restarts.</summary>
    public async Task ScheduleAsync<T>(T message, DateTimeOffset dueAt, CancellationToken cancellationToken)
        where T : class
    {
        await using var work = await UnitOfWork.BeginAsync(dataSource, this, cancellationToken);
        await work.PublishAsync(message, dueAt);
        await work.CommitAsync(cancellationToken); // and wakes the dispatcher, which finds nothing due yet if it is later
    }

    /// <summary>Wakes the dispatcher: something committed is due now.</summary>
    public void Notify() => _enqueued.Notify();

    /// <summary>Completes when something was enqueued for now, or after <paramref name="wait"/>.</summary>
    internal Task WaitForWorkAsync(TimeSpan wait, CancellationToken cancellationToken) => _enqueued.WaitAsync(wait, cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="batch"/> due messages in a transaction, hands each to
    /// <paramref name="deliver"/>, and deletes them when all were delivered; a message that cannot
    /// be read is parked with the reason instead of blocking the rest. Each is delivered with its
    /// row's id as its message id, so a delivery repeated after a lost commit is recognisable.
    /// </summary>
    /// <returns>How many were delivered, and when the next one is due (null if none waits).</returns>
    public async Task<(int Published, DateTimeOffset? NextDue)> DispatchDueAsync(
        Func<DueMessage, Task> deliver, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = (await connection.QueryAsync<(Guid Id, string Type, string Payload, string? TraceParent, string? Destination)>($"""
            SELECT message_id, message_type, payload::text, trace_parent, destination FROM "{schema}".scheduled_messages
            WHERE due_at <= @now AND parked_why IS NULL
            ORDER BY due_at LIMIT @batch FOR UPDATE SKIP LOCKED
            """, new { now = clock.GetUtcNow(), batch }, transaction)).ToList();

        var done = new List<Guid>();
        foreach (var (id, typeName, payload, traceParent, destination) in due)
        {
            var (message, why) = Decode(id, typeName, payload, destination);
            if (message is null)
            {
                // Kept for an operator to look at, never retried: it would block every row after it.
                await connection.ExecuteAsync($"""UPDATE "{schema}".scheduled_messages SET parked_why = @why WHERE message_id = @id""",
                    new { id, why }, transaction);
                continue;
            }
            // Only a message that carries a trace gets a span: the others would each start a trace of their own.
            using (traceParent is null ? null : Tracing.StartContinuing($"{message.Type.Name} due", traceParent))
                await deliver(message);
            done.Add(id);
        }
        await connection.ExecuteAsync($"""DELETE FROM "{schema}".scheduled_messages WHERE message_id = ANY(@done)""", new { done = done.ToArray() }, transaction);
        await transaction.CommitAsync(cancellationToken);

        var next = await connection.ExecuteScalarAsync<DateTimeOffset?>(
            $"""SELECT min(due_at) FROM "{schema}".scheduled_messages WHERE parked_why IS NULL""");
        return (done.Count, next);
    }

    /// <summary>
    /// The row as a message to deliver, or why it cannot be read: its type or destination gone, a
    /// payload that no longer fits the type.
    /// </summary>
    private static (DueMessage? Message, string? Why) Decode(Guid id, string typeName, string payload, string? destination)
    {
        if (Type.GetType(typeName) is not { } type) return (null, $"cannot read a {typeName}: no such type");
        object? message;
        try
        {
            message = JsonSerializer.Deserialize(payload, type, JsonSerializerOptions.Web);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            return (null, $"cannot read a {typeName}: {exception.Message}");
        }
        if (message is null) return (null, $"cannot read a {typeName}: the payload is null");
        Uri? address = null;
        if (destination is not null && !Uri.TryCreate(destination, UriKind.Absolute, out address))
            return (null, $"cannot send to '{destination}': not an absolute address");
        return (new DueMessage(id, message, type, address), null);
    }

    private static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
