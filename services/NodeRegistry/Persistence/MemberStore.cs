using CloudBus.Messages.Registry;
using Dapper;
using Npgsql;

namespace CloudBus.NodeRegistry.Persistence;

/// <summary>Service-instance membership in <c>node_registry.members</c>.</summary>
public sealed class MemberStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Records a heartbeat, stamped with the database's clock: membership rounds compare it with
    /// the same clock, so instances with skewed clocks are judged fairly.
    /// </summary>
    public async Task RecordHeartbeatAsync(ServiceInstanceHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO node_registry.members (instance_id, service, address, started_at, last_heartbeat_at)
            VALUES (@InstanceId, @Service, @Address, @StartedAt, now())
            ON CONFLICT (instance_id) DO UPDATE SET address = excluded.address, last_heartbeat_at = now()
            """, heartbeat);
    }

    public async Task RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM node_registry.members WHERE instance_id = @instanceId", new { instanceId });
    }

    public async Task<IReadOnlyList<Member>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Member>("""
            SELECT service AS Service, instance_id AS InstanceId, address AS Address, started_at AS StartedAt,
                   last_heartbeat_at AS LastHeartbeatAt, missed_rounds AS MissedRounds
            FROM node_registry.members ORDER BY service, instance_id
            """)).ToList();
    }
}
