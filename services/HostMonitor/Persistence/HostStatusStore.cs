using CloudBus.HostMonitor.Monitoring;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Database;
using Dapper;
using Npgsql;

namespace CloudBus.HostMonitor.Persistence;

/// <summary>Watched hosts and their last status in <c>host_monitor.hosts</c>.</summary>
public sealed class HostStatusStore(NpgsqlDataSource dataSource)
{
    public async Task AddAsync(HostRegistered host, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO host_monitor.hosts (host_id, agent_address, alternate_agent_addresses, cluster, status, status_reason, status_changed_at)
            VALUES (@HostId, @AgentAddress, @Alternates, @Cluster, 'Connecting', 'registered', @RegisteredAt)
            ON CONFLICT (host_id) DO NOTHING
            """, new
        {
            host.HostId, AgentAddress = host.AgentAddress.ToString(), Alternates = host.AlternateAgentAddresses.Select(a => a.ToString()).ToArray(),
            host.Cluster, host.RegisteredAt,
        });
    }

    public async Task<IReadOnlyList<StoredHost>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<HostRow>(
            "SELECT host_id, agent_address, alternate_agent_addresses, cluster, status, status_reason FROM host_monitor.hosts");
        return rows.Select(r => r.ToStored()).ToList();
    }

    /// <summary>
    /// Stores the host's new status, in <paramref name="work"/>, if its stored status is still the
    /// one the change starts from, and appends the change, with its reason, to the host's history.
    /// The database decides between two instances (or two messages) changing one host at once.
    /// </summary>
    /// <returns>Null when stored; otherwise the status the host has now, and why (null too for a host not stored).</returns>
    public async Task<StoredStatus?> TryChangeStatusAsync(
        UnitOfWork work, string hostId, HostHealthChange change, DateTimeOffset at, string changedBy)
    {
        var parameters = new { hostId, from = change.From.ToString(), to = change.To.ToString(), reason = change.Reason, at, changedBy };
        var changed = await work.Connection.ExecuteAsync(
            "UPDATE host_monitor.hosts SET status = @to, status_reason = @reason, status_changed_at = @at WHERE host_id = @hostId AND status = @from",
            parameters, work.Transaction) == 1;
        if (changed)
        {
            await work.Connection.ExecuteAsync("""
                INSERT INTO host_monitor.host_status_changes (host_id, changed_at, from_status, to_status, reason, changed_by)
                VALUES (@hostId, @at, @from, @to, @reason, @changedBy)
                """, parameters, work.Transaction);
            return null;
        }
        var stored = await work.Connection.QuerySingleOrDefaultAsync<(string Status, string Reason)?>(
            "SELECT status, status_reason FROM host_monitor.hosts WHERE host_id = @hostId", new { hostId }, work.Transaction);
        return stored is { } row ? new StoredStatus(Enum.Parse<HostStatus>(row.Status), row.Reason) : new StoredStatus(null, "not registered here");
    }

    public async Task<IReadOnlyList<HostStatusChange>> HistoryAsync(string hostId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<HostStatusChange>("""
            SELECT changed_at AS At, from_status AS From, to_status AS To, reason AS Reason, changed_by AS ChangedBy FROM host_monitor.host_status_changes
            WHERE host_id = @hostId ORDER BY changed_at
            """, new { hostId });
        return rows.ToList();
    }

    /// <summary>A row as Dapper reads it (settable properties: Npgsql reports text[] as a plain Array).</summary>
    private sealed class HostRow
    {
        public string host_id { get; init; } = "";
        public string agent_address { get; init; } = "";
        public string[] alternate_agent_addresses { get; init; } = [];
        public string cluster { get; init; } = "";
        public string status { get; init; } = "";
        public string status_reason { get; init; } = "";

        public StoredHost ToStored() => new(host_id, [new Uri(agent_address), .. alternate_agent_addresses.Select(a => new Uri(a))], cluster,
            Enum.Parse<HostStatus>(status), status_reason);
    }
}
