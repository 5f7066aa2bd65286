using System.Text.Json;
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
    /// <summary>Completed when something is enqueued for now; replaced after each wake-up.</summary>
    private TaskCompletionSource _enqueued = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string TableDefinition(string schema) => $"""
        CREATE TABLE IF NOT EXISTS "{schema}".scheduled_messages (
            message_id   uuid PRIMARY KEY,
            due_at       timestamptz NOT NULL,
            message_type text        NOT NULL,
            payload      jsonb       NOT NULL,
            parked_why   text);
        CREATE INDEX IF NOT EXISTS scheduled_messages_due ON "{schema}".scheduled_messages (due_at) WHERE parked_why IS NULL;
        """;

    /// <summary>
    /// Publishes <paramref name="message"/> at <paramref name="dueAt"/> (now when null), if and only
    /// if the caller's transaction commits. Call <see cref="Notify"/> after the commit to have it
    /// published at once rather than at the dispatcher's next round.
    /// </summary>
    public async Task EnqueueAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, T message, DateTimeOffset? dueAt = null)
        where T : class
    {
        await connection.ExecuteAsync($"""
            INSERT INTO "{schema}".scheduled_messages (message_id, due_at, message_type, payload)
            VALUES (@id, @dueAt, @type, CAST(@payload AS jsonb))
            """, new { id = Guid.NewGuid(), dueAt = dueAt ?? clock.GetUtcNow(), type = TypeName(typeof(T)), payload = JsonSerializer.Serialize(message, JsonSerializerOptions.Web) },
            transaction);
    }

    /// <summary>Wakes the dispatcher: something committed is due now.</summary>
    public void Notify() => Volatile.Read(ref _enqueued).TrySetResult();

    /// <summary>Completes when something was enqueued for now, or after <paramref name="wait"/>.</summary>
    internal async Task WaitForWorkAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var enqueued = Volatile.Read(ref _enqueued);
        if (!enqueued.Task.IsCompleted)
            await Task.WhenAny(enqueued.Task, Task.Delay(wait, clock, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        // Whatever was signalled is about to be dispatched: arm a fresh signal for what comes next.
        if (enqueued.Task.IsCompleted)
            Interlocked.CompareExchange(ref _enqueued, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), enqueued);
    }

    /// <summary>
    /// Claims up to <paramref name="batch"/> due messages in a transaction, hands each to
    /// <paramref name="publish"/>, and deletes them when all were published; a message that cannot
    /// be read is parked with the reason instead of blocking the rest.
    /// </summary>
    /// <returns>How many were published, and when the next one is due (null if none waits).</returns>
    public async Task<(int Published, DateTimeOffset? NextDue)> DispatchDueAsync(
        Func<object, Type, Task> publish, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = (await connection.QueryAsync<(Guid Id, string Type, string Payload)>($"""
            SELECT message_id, message_type, payload::text FROM "{schema}".scheduled_messages
            WHERE due_at <= @now AND parked_why IS NULL
            ORDER BY due_at LIMIT @batch FOR UPDATE SKIP LOCKED
            """, new { now = clock.GetUtcNow(), batch }, transaction)).ToList();

        var done = new List<Guid>();
        foreach (var (id, typeName, payload) in due)
        {
            var type = Type.GetType(typeName);
            var message = type is null ? null : JsonSerializer.Deserialize(payload, type, JsonSerializerOptions.Web);
            if (message is null)
            {
                await connection.ExecuteAsync($"""UPDATE "{schema}".scheduled_messages SET parked_why = @why WHERE message_id = @id""",
                    new { id, why = $"cannot read a {typeName}" }, transaction);
                continue;
            }
            await publish(message, type!);
            done.Add(id);
        }
        await connection.ExecuteAsync($"""DELETE FROM "{schema}".scheduled_messages WHERE message_id = ANY(@done)""", new { done = done.ToArray() }, transaction);
        await transaction.CommitAsync(cancellationToken);

        var next = await connection.ExecuteScalarAsync<DateTime?>(
            $"""SELECT min(due_at) FROM "{schema}".scheduled_messages WHERE parked_why IS NULL""");
        return (done.Count, next is { } n ? new DateTimeOffset(DateTime.SpecifyKind(n, DateTimeKind.Utc)) : null);
    }

    private static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
