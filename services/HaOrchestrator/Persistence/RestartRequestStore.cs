using Dapper;
using Npgsql;

namespace CloudBus.HaOrchestrator.Persistence;

/// <summary>Restart requests in <c>ha_orchestrator.restart_requests</c>, one per (VM, incarnation).</summary>
public sealed class RestartRequestStore(NpgsqlDataSource dataSource)
{
    /// <returns>False when this run of the VM already has a request (a duplicate message changes nothing).</returns>
    public async Task<bool> RequestAsync(RestartRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.restart_requests (vm_id, incarnation, host_id, reason, restart_priority, status, requested_at)
            VALUES (@VmId, @Incarnation, @HostId, @Reason, @RestartPriority, @Status, @RequestedAt)
            ON CONFLICT (vm_id, incarnation) DO NOTHING
            """, request) == 1;
    }

    public async Task<IReadOnlyList<RestartRequest>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid VmId, long Incarnation, string HostId, string Reason, int Priority, string Status, DateTime RequestedAt)>(
            "SELECT vm_id, incarnation, host_id, reason, restart_priority, status, requested_at FROM ha_orchestrator.restart_requests ORDER BY restart_priority DESC, requested_at");
        return rows.Select(r => new RestartRequest(r.VmId, r.Incarnation, r.HostId, r.Reason, r.Priority, r.Status, new DateTimeOffset(r.RequestedAt, TimeSpan.Zero))).ToList();
    }
}
