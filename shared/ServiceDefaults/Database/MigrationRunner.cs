using Dapper;
using CloudBus.ServiceDefaults.Scheduling;
using CloudBus.ServiceDefaults.Security;
using Npgsql;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>
/// Creates the service's schema with the framework's own tables (migration bookkeeping,
/// <see cref="ScheduledMessages"/> and the <see cref="AuditLog"/>) and applies the service's numbered migrations to its own schema at start. Several instances of one
/// service may start at the same moment, so the whole run holds a transaction-scoped advisory lock
/// keyed by the schema: the first instance migrates, the others wait and then find nothing to do.
/// </summary>
/// <param name="runtimeRole">
/// When migrations run as a migration role of their own (<see cref="PostgresOptions.MigrationUsername"/>),
/// the service's role, given reading and writing rows of this schema, and nothing else: no DDL, no
/// other service's schema. Null: the service migrates its schema itself and owns it.
/// </param>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, string schema, IReadOnlyList<MigrationScript> scripts, string? runtimeRole = null)
{
    public string Schema => schema;

    /// <returns>The versions applied by this call (empty when the schema was already current).</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await connection.ExecuteAsync(
            "SELECT pg_advisory_xact_lock(hashtextextended('cloudbus.migrations.' || @schema, 0))",
            new { schema }, transaction);
        await connection.ExecuteAsync($"""
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now());
            {ScheduledMessages.TableDefinition(schema)}
            {AuditLog.TableDefinition(schema)}
            """, transaction: transaction);

        var applied = (await connection.QueryAsync<int>(
            $"""SELECT version FROM "{schema}".schema_migrations""", transaction: transaction)).ToHashSet();
        var newlyApplied = new List<int>();
        foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
        {
            await connection.ExecuteAsync(script.Sql, transaction: transaction);
            await connection.ExecuteAsync(
                $"""INSERT INTO "{schema}".schema_migrations (version, name) VALUES (@Version, @Name)""",
                script, transaction);
            newlyApplied.Add(script.Version);
        }

        // Every start, not only after a new script: a role created later, or a table some
        // earlier version made, gets its rights all the same.
        if (runtimeRole is not null) await connection.ExecuteAsync(RuntimeGrants(schema, runtimeRole), transaction: transaction);

        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    private static string RuntimeGrants(string schema, string role) => $"""
        GRANT USAGE ON SCHEMA "{schema}" TO "{role}";
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}";
        GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}";
        """;
}
