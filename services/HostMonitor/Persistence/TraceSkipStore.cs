using CloudBus.HostMonitor.Tracing;
using CloudBus.Messages.Vms;
using Dapper;
using Npgsql;

namespace CloudBus.HostMonitor.Persistence;

/// <summary>Skipped and orphaned VMs in <c>host_monitor.trace_skips</c>; the decisions are <see cref="TraceSkipRules"/>'.</summary>
public sealed class TraceSkipStore(NpgsqlDataSource dataSource)
{
    /// <summary>A new operation on the VM replaces any earlier skip of it, orphaned or not.</summary>
    public async Task SkipAsync(VmTraceSkipped skipped, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO host_monitor.trace_skips (vm_id, operating_instance, operation_id, operation, skipped_at)
            VALUES (@VmId, @OperatingInstance, @OperationId, @Operation, @SkippedAt)
            ON CONFLICT (vm_id) DO UPDATE
            SET operating_instance = excluded.operating_instance, operation_id = excluded.operation_id,
                operation = excluded.operation, skipped_at = excluded.skipped_at, orphaned_at = NULL, expires_at = NULL
            """, skipped);
    }

    /// <summary>
    /// Ends the skip of that operation, whether it is still skipped or already orphaned (the review
    /// fix: a continue must clear the orphaned entry too). A later operation's skip is left alone.
    /// </summary>
    public async Task ContinueAsync(VmTraceContinued continued, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "DELETE FROM host_monitor.trace_skips WHERE vm_id = @VmId AND operation_id = @OperationId", continued);
    }

    public async Task<IReadOnlyList<TraceSkip>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid VmId, string Operator, Guid OperationId, string Operation, DateTime SkippedAt, DateTime? OrphanedAt, DateTime? ExpiresAt)>(
            "SELECT vm_id, operating_instance, operation_id, operation, skipped_at, orphaned_at, expires_at FROM host_monitor.trace_skips ORDER BY skipped_at");
        return rows.Select(r => new TraceSkip(r.VmId, r.Operator, r.OperationId, r.Operation, Utc(r.SkippedAt), Utc(r.OrphanedAt), Utc(r.ExpiresAt))).ToList();
    }

    public async Task OrphanAsync(IReadOnlyList<TraceSkip> orphaned, CancellationToken cancellationToken)
    {
        if (orphaned.Count == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var skip in orphaned)
            await connection.ExecuteAsync("""
                UPDATE host_monitor.trace_skips SET orphaned_at = @OrphanedAt, expires_at = @ExpiresAt
                WHERE vm_id = @VmId AND operation_id = @OperationId AND orphaned_at IS NULL
                """, skip);
    }

    public async Task PurgeAsync(IReadOnlyList<TraceSkip> expired, CancellationToken cancellationToken)
    {
        if (expired.Count == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            DELETE FROM host_monitor.trace_skips AS s USING unnest(@vms, @operations) AS e(vm_id, operation_id)
            WHERE s.vm_id = e.vm_id AND s.operation_id = e.operation_id AND s.expires_at IS NOT NULL
            """, new { vms = expired.Select(s => s.VmId).ToArray(), operations = expired.Select(s => s.OperationId).ToArray() });
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
