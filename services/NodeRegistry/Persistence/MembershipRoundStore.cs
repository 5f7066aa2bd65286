using CloudBus.NodeRegistry.Membership;
using CloudBus.ServiceDefaults.Database;
using Dapper;

namespace CloudBus.NodeRegistry.Persistence;

/// <summary>
/// The leader's reads and writes for one membership round, all in one unit of work on the
/// leader's connection. Times come from the database clock, the same clock that stamped the heartbeats.
/// </summary>
public static class MembershipRoundStore
{
    public static async Task<(DateTimeOffset RoundAt, IReadOnlyList<MemberState> Members)> ReadAsync(UnitOfWork work)
    {
        var roundAt = await work.Connection.ExecuteScalarAsync<DateTimeOffset>("SELECT now()", transaction: work.Transaction);
        var members = await work.Connection.QueryAsync<MemberState>(
            """
            SELECT instance_id AS InstanceId, service AS Service, last_heartbeat_at AS LastHeartbeatAt, missed_rounds AS MissedRounds
            FROM node_registry.members FOR UPDATE
            """, transaction: work.Transaction);
        return (roundAt, members.ToList());
    }

    public static async Task ApplyAsync(UnitOfWork work, MembershipRoundResult result)
    {
        await work.Connection.ExecuteAsync("""
            UPDATE node_registry.members AS m SET missed_rounds = u.missed
            FROM unnest(@ids, @missed) AS u(id, missed)
            WHERE m.instance_id = u.id AND m.missed_rounds <> u.missed
            """, new { ids = result.MissedRounds.Keys.ToArray(), missed = result.MissedRounds.Values.ToArray() }, work.Transaction);
        if (result.Removed.Count > 0)
            await work.Connection.ExecuteAsync("DELETE FROM node_registry.members WHERE instance_id = ANY(@removed)",
                new { removed = result.Removed.ToArray() }, work.Transaction);
    }

    public static async Task SaveRingAsync(UnitOfWork work, StoredRing ring) =>
        await work.Connection.ExecuteAsync("""
            INSERT INTO node_registry.rings (service, epoch, members, virtual_nodes, changed_at)
            VALUES (@Service, @Epoch, @members, @VirtualNodesPerMember, @ChangedAt)
            ON CONFLICT (service) DO UPDATE
            SET epoch = excluded.epoch, members = excluded.members, virtual_nodes = excluded.virtual_nodes, changed_at = excluded.changed_at
            """, new { ring.Service, ring.Epoch, members = ring.Members.ToArray(), ring.VirtualNodesPerMember, ring.ChangedAt }, work.Transaction);

    public static Task RenewLeaderAsync(UnitOfWork work, string instanceId, DateTimeOffset at) =>
        work.Connection.ExecuteAsync("""
            INSERT INTO node_registry.leader (instance_id, since, renewed_at) VALUES (@instanceId, @at, @at)
            ON CONFLICT (singleton) DO UPDATE
            SET since = CASE WHEN node_registry.leader.instance_id = excluded.instance_id THEN node_registry.leader.since ELSE excluded.since END,
                instance_id = excluded.instance_id, renewed_at = excluded.renewed_at
            """, new { instanceId, at }, work.Transaction);
}
