using CloudBus.Messages.Hosts;
using Dapper;
using Npgsql;

namespace CloudBus.HaOrchestrator.Hosts;

/// <summary>The hosts HA knows (<c>ha_orchestrator.hosts</c>) and their latest status.</summary>
public sealed class HostDirectory(NpgsqlDataSource dataSource)
{
    private const string SelectHosts = """
        SELECT h.host_id, h.agent_address, h.alternate_agent_addresses, h.cluster, h.bmc_address, h.alternate_bmc_addresses, h.bmc_guid, h.bmc_changed_at, h.bmc_changed_by,
               coalesce(s.status, 'Connecting') AS status
        FROM ha_orchestrator.hosts h LEFT JOIN ha_orchestrator.host_statuses s ON s.host_id = h.host_id
        """;

    /// <summary>
    /// Adds a host, or updates one known already (a catch-up). BMC addresses that differ from the
    /// known ones are a BMC change HA did not hear of: the bound identity is forgotten and the
    /// change dated now (by "catch-up"), as <see cref="ChangeBmcAsync"/> would.
    /// </summary>
    public async Task AddAsync(HostRegistered host, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.hosts (host_id, agent_address, alternate_agent_addresses, cluster, bmc_address, alternate_bmc_addresses, registered_at)
            VALUES (@HostId, @agent, @alternateAgents, @Cluster, @BmcAddress, @alternateBmcs, @RegisteredAt)
            ON CONFLICT (host_id) DO UPDATE SET agent_address = excluded.agent_address, alternate_agent_addresses = excluded.alternate_agent_addresses,
                cluster = excluded.cluster, bmc_address = excluded.bmc_address, alternate_bmc_addresses = excluded.alternate_bmc_addresses,
                bmc_guid = CASE WHEN hosts.bmc_address IS NOT DISTINCT FROM excluded.bmc_address
                                 AND hosts.alternate_bmc_addresses = excluded.alternate_bmc_addresses THEN hosts.bmc_guid END,
                bmc_changed_at = CASE WHEN hosts.bmc_address IS NOT DISTINCT FROM excluded.bmc_address
                                       AND hosts.alternate_bmc_addresses = excluded.alternate_bmc_addresses THEN hosts.bmc_changed_at ELSE now() END,
                bmc_changed_by = CASE WHEN hosts.bmc_address IS NOT DISTINCT FROM excluded.bmc_address
                                       AND hosts.alternate_bmc_addresses = excluded.alternate_bmc_addresses THEN hosts.bmc_changed_by ELSE 'catch-up' END
            """, new
        {
            host.HostId, agent = host.AgentAddress.ToString(), alternateAgents = host.AlternateAgentAddresses.Select(a => a.ToString()).ToArray(),
            host.Cluster, host.BmcAddress, alternateBmcs = host.AlternateBmcAddresses.ToArray(), host.RegisteredAt,
        });
    }

    /// <summary>
    /// An admin changed the host's BMC: the new addresses, no identity bound yet (the next read
    /// binds one), when and by whom. An older change arriving late is ignored.
    /// </summary>
    /// <returns>Whether the host is known and took the change.</returns>
    public async Task<bool> ChangeBmcAsync(HostBmcChanged change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync("""
            UPDATE ha_orchestrator.hosts
            SET bmc_address = @BmcAddress, alternate_bmc_addresses = @alternates, bmc_guid = NULL, bmc_changed_at = @ChangedAt, bmc_changed_by = @ChangedBy
            WHERE host_id = @HostId AND (bmc_changed_at IS NULL OR bmc_changed_at <= @ChangedAt)
            """, new { change.HostId, change.BmcAddress, alternates = change.AlternateBmcAddresses.ToArray(), change.ChangedAt, change.ChangedBy }) == 1;
    }

    /// <summary>
    /// Binds a BMC identity to the host if it has none yet and no other host holds it. One GUID
    /// belongs to one host (a unique index), so two hosts naming the same BMC cannot both fence it.
    /// </summary>
    /// <returns>The host the GUID belongs to now: this one, another, or null when this host is bound to another GUID.</returns>
    public async Task<string?> BindBmcAsync(string hostId, string systemGuid, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            UPDATE ha_orchestrator.hosts SET bmc_guid = @systemGuid
            WHERE host_id = @hostId AND bmc_guid IS NULL AND NOT EXISTS (SELECT 1 FROM ha_orchestrator.hosts WHERE bmc_guid = @systemGuid)
            """, new { hostId, systemGuid });
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT host_id FROM ha_orchestrator.hosts WHERE bmc_guid = @systemGuid", new { systemGuid });
    }

    /// <summary>Records a status unless a later one is already recorded (events may arrive out of order).</summary>
    public async Task SetStatusAsync(string hostId, HostStatus status, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.host_statuses (host_id, status, changed_at) VALUES (@hostId, @status, @changedAt)
            ON CONFLICT (host_id) DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at
            WHERE host_statuses.changed_at <= excluded.changed_at
            """, new { hostId, status = status.ToString(), changedAt });
    }

    /// <summary>
    /// Records a status only for a host that has none yet, dated at the epoch: catching up must
    /// neither overwrite an event already applied nor win over one still on its way.
    /// </summary>
    public async Task SetStatusIfUnknownAsync(string hostId, HostStatus status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.host_statuses (host_id, status, changed_at) VALUES (@hostId, @status, @epoch)
            ON CONFLICT (host_id) DO NOTHING
            """, new { hostId, status = status.ToString(), epoch = DateTimeOffset.UnixEpoch });
    }

    public async Task<KnownHost?> FindAsync(string hostId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<HostRow>(SelectHosts + " WHERE h.host_id = @hostId", new { hostId });
        return row?.ToHost();
    }

    public async Task<IReadOnlyList<KnownHost>> InClusterAsync(string cluster, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<HostRow>(SelectHosts + " WHERE h.cluster = @cluster ORDER BY h.host_id", new { cluster });
        return rows.Select(r => r.ToHost()).ToList();
    }

    /// <summary>A row as Dapper reads it (settable properties: Npgsql reports text[] as a plain Array).</summary>
    private sealed class HostRow
    {
        public string host_id { get; init; } = "";
        public string agent_address { get; init; } = "";
        public string[] alternate_agent_addresses { get; init; } = [];
        public string cluster { get; init; } = "";
        public string? bmc_address { get; init; }
        public string[] alternate_bmc_addresses { get; init; } = [];
        public string? bmc_guid { get; init; }
        public DateTimeOffset? bmc_changed_at { get; init; }
        public string? bmc_changed_by { get; init; }
        public string status { get; init; } = "";

        public KnownHost ToHost() => new(host_id, [new Uri(agent_address), .. alternate_agent_addresses.Select(a => new Uri(a))], cluster,
            bmc_address is null ? [] : [bmc_address, .. alternate_bmc_addresses], Enum.Parse<HostStatus>(status), bmc_guid, bmc_changed_at, bmc_changed_by);
    }
}
