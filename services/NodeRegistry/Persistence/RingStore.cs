using CloudBus.ServiceDefaults.Database;
using Dapper;
using Npgsql;

namespace CloudBus.NodeRegistry.Persistence;

/// <summary>Reads the stored rings and the current leader (any replica may answer these).</summary>
public sealed class RingStore(NpgsqlDataSource dataSource)
{
    private const string SelectRings = "SELECT service, epoch, members, virtual_nodes, changed_at FROM node_registry.rings";

    public async Task<IReadOnlyList<StoredRing>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RingRow>(SelectRings + " ORDER BY service");
        return rows.Select(r => r.ToStoredRing()).ToList();
    }

    /// <summary>Every ring, read in <paramref name="work"/> (the leader reads inside its round's transaction).</summary>
    public static async Task<IReadOnlyList<StoredRing>> ReadAllAsync(UnitOfWork work)
    {
        var rows = await work.Connection.QueryAsync<RingRow>(SelectRings + " ORDER BY service", transaction: work.Transaction);
        return rows.Select(r => r.ToStoredRing()).ToList();
    }

    public async Task<StoredRing?> GetAsync(string service, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RingRow>(SelectRings + " WHERE service = @service", new { service });
        return row?.ToStoredRing();
    }

    public async Task<(string InstanceId, DateTimeOffset Since, DateTimeOffset RenewedAt)?> LeaderAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<(string InstanceId, DateTimeOffset Since, DateTimeOffset RenewedAt)?>(
            "SELECT instance_id, since, renewed_at FROM node_registry.leader");
    }
}
