using CloudBus.Messages.Hosts;
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
            INSERT INTO host_monitor.hosts (host_id, agent_address, cluster, status, status_reason, status_changed_at)
            VALUES (@HostId, @AgentAddress, @Cluster, 'Connecting', 'registered', @RegisteredAt)
            ON CONFLICT (host_id) DO NOTHING
            """, new { host.HostId, AgentAddress = host.AgentAddress.ToString(), host.Cluster, host.RegisteredAt });
    }

    public async Task<IReadOnlyList<StoredHost>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string HostId, string AgentAddress, string Cluster, string Status)>(
            "SELECT host_id, agent_address, cluster, status FROM host_monitor.hosts");
        return rows.Select(r => new StoredHost(r.HostId, new Uri(r.AgentAddress), r.Cluster, Enum.Parse<HostStatus>(r.Status))).ToList();
    }

    /// <summary>Stores the host's new status and appends the change, with its reason, to the host's history.</summary>
    public async Task SaveStatusAsync(string hostId, HostStatus from, HostStatus to, string reason, DateTimeOffset at, string changedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            UPDATE host_monitor.hosts SET status = @to, status_reason = @reason, status_changed_at = @at WHERE host_id = @hostId;
            INSERT INTO host_monitor.host_status_changes (host_id, changed_at, from_status, to_status, reason, changed_by)
            VALUES (@hostId, @at, @from, @to, @reason, @changedBy);
            """, new { hostId, from = from.ToString(), to = to.ToString(), reason, at, changedBy });
    }

    public async Task<IReadOnlyList<HostStatusChange>> HistoryAsync(string hostId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(DateTime At, string From, string To, string Reason, string By)>("""
            SELECT changed_at, from_status, to_status, reason, changed_by FROM host_monitor.host_status_changes
            WHERE host_id = @hostId ORDER BY changed_at
            """, new { hostId });
        return rows.Select(r => new HostStatusChange(new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)), r.From, r.To, r.Reason, r.By)).ToList();
    }

    /// <summary>The stored status of each given host (hosts this instance is taking over).</summary>
    public async Task<IReadOnlyDictionary<string, HostStatus>> StatusesAsync(IReadOnlyCollection<string> hostIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string HostId, string Status)>(
            "SELECT host_id, status FROM host_monitor.hosts WHERE host_id = ANY(@ids)", new { ids = hostIds.ToArray() });
        return rows.ToDictionary(r => r.HostId, r => Enum.Parse<HostStatus>(r.Status));
    }
}
