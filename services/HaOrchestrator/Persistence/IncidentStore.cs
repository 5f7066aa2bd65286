using CloudBus.Messages.Hosts;
using Dapper;
using Npgsql;

namespace CloudBus.HaOrchestrator.Persistence;

/// <summary>Host incidents in <c>ha_orchestrator.incidents</c>.</summary>
public sealed class IncidentStore(NpgsqlDataSource dataSource)
{
    /// <summary>Opens an incident for a suspicion; a duplicate delivery of the same suspicion is a no-op.</summary>
    public async Task OpenAsync(HostSuspected suspicion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.incidents
                (incident_id, host_id, suspected_at, last_good_ping_at, consecutive_misses, errors, status, recorded_at)
            VALUES (@id, @HostId, @SuspectedAt, @LastGoodPingAt, @ConsecutiveMisses, @errors, 'Suspected', @now)
            ON CONFLICT (host_id, suspected_at) DO NOTHING
            """, new
        {
            id = Guid.NewGuid(), suspicion.HostId, suspicion.SuspectedAt, suspicion.LastGoodPingAt,
            suspicion.ConsecutiveMisses, errors = suspicion.Errors.ToArray(), now,
        });
    }

    public async Task<IReadOnlyList<Incident>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentRow>(
            "SELECT incident_id, host_id, suspected_at, consecutive_misses, errors, status FROM ha_orchestrator.incidents ORDER BY suspected_at DESC");
        return rows.Select(r => new Incident(r.incident_id, r.host_id, new DateTimeOffset(r.suspected_at, TimeSpan.Zero), r.consecutive_misses, r.errors, r.status)).ToList();
    }

    /// <summary>A row as Dapper reads it (settable properties: Npgsql reports text[] as a plain Array).</summary>
    private sealed class IncidentRow
    {
        public Guid incident_id { get; init; }
        public string host_id { get; init; } = "";
        public DateTime suspected_at { get; init; }
        public int consecutive_misses { get; init; }
        public string[] errors { get; init; } = [];
        public string status { get; init; } = "";
    }
}
