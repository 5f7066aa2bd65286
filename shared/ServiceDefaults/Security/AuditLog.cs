using Dapper;
using Npgsql;

namespace CloudBus.ServiceDefaults.Security;

/// <summary>The service's audit log: one table in its own schema, appended by <see cref="AuditMiddleware"/>, read by <c>GET /audit</c>.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource, ServiceDefinition definition)
{
    public const int MaxPageSize = 500;

    public static string TableDefinition(string schema) => $"""
        CREATE TABLE IF NOT EXISTS "{schema}".audit_log (
            id       bigserial   PRIMARY KEY,
            at       timestamptz NOT NULL,
            subject  text        NOT NULL,
            role     text,
            method   text        NOT NULL,
            path     text        NOT NULL,
            status   integer     NOT NULL,
            trace_id text);
        """;

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO "{definition.Schema}".audit_log (at, subject, role, method, path, status, trace_id)
            VALUES (@At, @Subject, @Role, @Method, @Path, @Status, @TraceId)
            """, record, cancellationToken: cancellationToken));
    }

    /// <summary>Up to <paramref name="limit"/> records older than <paramref name="before"/> (an id), newest first.</summary>
    public async Task<AuditPage> PageAsync(int limit, long? before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var records = (await connection.QueryAsync<AuditRecord>(new CommandDefinition($"""
            SELECT id, at, subject, role, method, path, status, trace_id AS TraceId
            FROM "{definition.Schema}".audit_log
            WHERE @before IS NULL OR id < @before
            ORDER BY id DESC LIMIT @limit
            """, new { limit, before }, cancellationToken: cancellationToken))).ToList();
        return new AuditPage(records, records.Count == limit ? records[^1].Id : null);
    }
}
