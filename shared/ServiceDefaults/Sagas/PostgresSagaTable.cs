using System.Reflection;
using System.Text.Json;
using MassTransit;
using Npgsql;

namespace CloudBus.ServiceDefaults.Sagas;

/// <summary>
/// Where and how one saga type is kept in Postgres: the table, its SQL, the JSON form of an
/// instance and how to read its current state. The service's own migration creates the table:
/// <code>
/// CREATE TABLE &lt;schema&gt;.&lt;table&gt; (
///     correlation_id uuid        PRIMARY KEY,
///     current_state  text        NOT NULL,
///     version        integer     NOT NULL,
///     data           jsonb       NOT NULL,
///     created_at     timestamptz NOT NULL DEFAULT now(),
///     updated_at     timestamptz NOT NULL);
/// </code>
/// <c>data</c> is the whole instance (System.Text.Json, web defaults), so the saga type needs a
/// public parameterless constructor and settable properties. <c>current_state</c> and
/// <c>version</c> are columns of their own so that operators can query them and so that
/// <c>version</c> can guard updates.
/// </summary>
public sealed class PostgresSagaTable<TSaga>
    where TSaga : class, ISagaVersion
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Func<TSaga, string> _currentState;

    /// <param name="qualifiedName">
    /// <c>schema.table</c>, lower-case letters, digits and underscores only: the name is written
    /// into SQL, so anything else is refused here rather than quoted and hoped for.
    /// </param>
    /// <param name="currentState">
    /// Reads the instance's state for the <c>current_state</c> column; by default its public
    /// <c>CurrentState</c> property (a string or an int, as MassTransit's <c>InstanceState</c> allows).
    /// </param>
    public PostgresSagaTable(string qualifiedName, Func<TSaga, string?>? currentState = null)
    {
        Name = SagaTableName.Quote(qualifiedName, typeof(TSaga));
        var read = currentState ?? CurrentStateProperty();
        _currentState = saga => read(saga) ?? "";
    }

    /// <summary>The quoted name, ready for SQL: <c>"schema"."table"</c>.</summary>
    public string Name { get; }

    /// <summary>Opens a connection and begins the transaction that one message's load, consume and save run in.</summary>
    /// <param name="outbox">Where the saga's announcements go (see <see cref="PostgresSagaSession{TSaga}.Work"/>); null when it announces nothing.</param>
    public Task<PostgresSagaSession<TSaga>> BeginSessionAsync(
        NpgsqlDataSource dataSource, CancellationToken cancellationToken, Scheduling.ScheduledMessages? outbox = null) =>
        PostgresSagaSession<TSaga>.BeginAsync(dataSource, this, outbox, cancellationToken);

    internal string SelectSql => $"SELECT version, data::text FROM {Name} WHERE correlation_id = @id";

    // ON CONFLICT DO NOTHING rather than a plain INSERT: a unique violation would abort the
    // transaction, and the pre-insert path must still be able to load the instance that won.
    internal string InsertSql => $"""
        INSERT INTO {Name} (correlation_id, current_state, version, data, updated_at)
        VALUES (@id, @state, @version, CAST(@data AS jsonb), now())
        ON CONFLICT (correlation_id) DO NOTHING
        """;

    internal string UpdateSql => $"""
        UPDATE {Name} SET current_state = @state, version = @version, data = CAST(@data AS jsonb), updated_at = now()
        WHERE correlation_id = @id AND version = @expected
        """;

    internal string DeleteSql => $"DELETE FROM {Name} WHERE correlation_id = @id AND version = @expected";

    /// <summary>What goes into the <c>current_state</c> column for this instance.</summary>
    public string CurrentStateOf(TSaga saga) => _currentState(saga);

    internal static string Serialize(TSaga saga) => JsonSerializer.Serialize(saga, Json);

    internal static TSaga Deserialize(string data, int version)
    {
        var saga = JsonSerializer.Deserialize<TSaga>(data, Json)
                   ?? throw new InvalidOperationException($"A {typeof(TSaga).Name} row holds JSON null.");
        // The column is what updates are checked against; the copy inside data is only a snapshot.
        saga.Version = version;
        return saga;
    }

    private static Func<TSaga, string?> CurrentStateProperty()
    {
        var property = typeof(TSaga).GetProperty("CurrentState", BindingFlags.Public | BindingFlags.Instance);
        if (property is null || (property.PropertyType != typeof(string) && property.PropertyType != typeof(int)))
            throw new ArgumentException(
                $"{typeof(TSaga).Name} has no public string or int CurrentState property: pass a currentState reader for the current_state column.");
        return saga => property.GetValue(saga)?.ToString();
    }
}
