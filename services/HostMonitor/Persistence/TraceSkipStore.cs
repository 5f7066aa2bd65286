using CloudBus.HostMonitor.Tracing;
using CloudBus.Messages.Vms;
using Dapper;
using Npgsql;

namespace CloudBus.HostMonitor.Persistence;

/// <summary>
/// Skipped and orphaned operations in <c>host_monitor.trace_skips</c>, one row per operation (a VM
/// is skipped while any of its operations is); the decisions are <see cref="TraceSkipRules"/>'.
/// Skips and continues may arrive in any order: a continue that comes first leaves a tombstone
/// that the late skip cannot revive.
/// </summary>
public sealed class TraceSkipStore(NpgsqlDataSource dataSource)
{
    /// <summary>How long an ended operation's tombstone is kept: longer than any skip can be delivered late.</summary>
    public static readonly TimeSpan TombstoneKeptFor = TimeSpan.FromHours(1);

    /// <summary>The operation's skip, unless it is known already (skipped before, or already continued).</summary>
    public async Task SkipAsync(VmTraceSkipped skipped, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO host_monitor.trace_skips (vm_id, operating_instance, operation_id, operation, skipped_at)
            VALUES (@VmId, @OperatingInstance, @OperationId, @Operation, @SkippedAt)
            ON CONFLICT (vm_id, operation_id) DO NOTHING
            """, new { skipped.VmId, skipped.OperatingInstance, skipped.OperationId, Operation = skipped.Operation.ToString(), skipped.SkippedAt });
    }

    /// <summary>
    /// Ends the skip of that operation, whether it is still skipped or already orphaned (the review
    /// fix: a continue must clear the orphaned entry too), or marks it ended before its skip arrives.
    /// Other operations' skips of the VM are left alone.
    /// </summary>
    public async Task ContinueAsync(VmTraceContinued continued, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO host_monitor.trace_skips (vm_id, operating_instance, operation_id, operation, skipped_at, continued_at)
            VALUES (@VmId, @OperatingInstance, @OperationId, 'continued before its skip arrived', @ContinuedAt, @ContinuedAt)
            ON CONFLICT (vm_id, operation_id) DO UPDATE SET continued_at = excluded.continued_at
            """, continued);
    }

    /// <summary>The skips of operations not yet continued, oldest first.</summary>
    public async Task<IReadOnlyList<TraceSkip>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TraceSkip>("""
            SELECT vm_id AS VmId, operating_instance AS OperatingInstance, operation_id AS OperationId, operation AS Operation,
                   skipped_at AS SkippedAt, orphaned_at AS OrphanedAt, expires_at AS ExpiresAt
            FROM host_monitor.trace_skips
            WHERE continued_at IS NULL ORDER BY skipped_at
            """);
        return rows.ToList();
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

    /// <summary>Removes expired orphans and the tombstones of operations ended long ago.</summary>
    public async Task PurgeAsync(IReadOnlyList<TraceSkip> expired, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM host_monitor.trace_skips WHERE continued_at < @before", new { before = now - TombstoneKeptFor });
        if (expired.Count == 0) return;
        await connection.ExecuteAsync("""
            DELETE FROM host_monitor.trace_skips AS s USING unnest(@vms, @operations) AS e(vm_id, operation_id)
            WHERE s.vm_id = e.vm_id AND s.operation_id = e.operation_id AND s.expires_at IS NOT NULL
            """, new { vms = expired.Select(s => s.VmId).ToArray(), operations = expired.Select(s => s.OperationId).ToArray() });
    }


}
