using CloudBus.NodeRegistry.Membership;
using Dapper;
using Npgsql;

namespace CloudBus.NodeRegistry.Persistence;

/// <summary>
/// The leader's reads and writes for one membership round, all in one transaction on the leader's
/// connection. Times come from the database clock, the same clock that stamped the heartbeats.
/// </summary>
public static class MembershipRoundStore
{
    public static async Task<(DateTimeOffset RoundAt, IReadOnlyList<MemberState> Members)> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var roundAt = await connection.ExecuteScalarAsync<DateTime>("SELECT now()", transaction: transaction);
        var rows = await connection.QueryAsync<(string InstanceId, string Service, DateTime LastHeartbeatAt, int MissedRounds)>(
            "SELECT instance_id, service, last_heartbeat_at, missed_rounds FROM node_registry.members FOR UPDATE", transaction: transaction);
        return (Utc(roundAt), rows.Select(r => new MemberState(r.InstanceId, r.Service, Utc(r.LastHeartbeatAt), r.MissedRounds)).ToList());
    }

    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MembershipRoundResult result)
    {
        await connection.ExecuteAsync("""
            UPDATE node_registry.members AS m SET missed_rounds = u.missed
            FROM unnest(@ids, @missed) AS u(id, missed)
            WHERE m.instance_id = u.id AND m.missed_rounds <> u.missed
            """, new { ids = result.MissedRounds.Keys.ToArray(), missed = result.MissedRounds.Values.ToArray() }, transaction);
        if (result.Removed.Count > 0)
            await connection.ExecuteAsync("DELETE FROM node_registry.members WHERE instance_id = ANY(@removed)",
                new { removed = result.Removed.ToArray() }, transaction);
    }

    public static async Task SaveRingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredRing ring) =>
        await connection.ExecuteAsync("""
            INSERT INTO node_registry.rings (service, epoch, members, virtual_nodes, changed_at)
            VALUES (@Service, @Epoch, @members, @VirtualNodesPerMember, @ChangedAt)
            ON CONFLICT (service) DO UPDATE
            SET epoch = excluded.epoch, members = excluded.members, virtual_nodes = excluded.virtual_nodes, changed_at = excluded.changed_at
            """, new { ring.Service, ring.Epoch, members = ring.Members.ToArray(), ring.VirtualNodesPerMember, ring.ChangedAt }, transaction);

    public static Task RenewLeaderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string instanceId, DateTimeOffset at) =>
        connection.ExecuteAsync("""
            INSERT INTO node_registry.leader (instance_id, since, renewed_at) VALUES (@instanceId, @at, @at)
            ON CONFLICT (singleton) DO UPDATE
            SET since = CASE WHEN node_registry.leader.instance_id = excluded.instance_id THEN node_registry.leader.since ELSE excluded.since END,
                instance_id = excluded.instance_id, renewed_at = excluded.renewed_at
            """, new { instanceId, at }, transaction);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
