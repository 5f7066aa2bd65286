using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Database;
using Dapper;
using Npgsql;

namespace CloudBus.HaOrchestrator.Incidents;

/// <summary>Reads host incidents and their timelines (<see cref="IncidentTimeline"/> writes them).</summary>
public sealed class IncidentStore(NpgsqlDataSource dataSource)
{
    private const string SelectIncidents = """
        SELECT incident_id, host_id, cluster, suspected_at, consecutive_misses, errors, status, verdict, trace_id, closed_at
        FROM ha_orchestrator.incidents
        """;

    /// <summary>The host's open incidents suspected before <paramref name="before"/> (those a host answering again at that moment ends).</summary>
    public async Task<IReadOnlyList<Guid>> OpenForHostAsync(string hostId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(
            "SELECT incident_id FROM ha_orchestrator.incidents WHERE host_id = @hostId AND closed_at IS NULL AND suspected_at < @before",
            new { hostId, before })).ToList();
    }

    /// <summary>For the brake: hosts of a cluster in service, and how many of them are suspect or under an open incident, in <paramref name="work"/>.</summary>
    public async Task<(int Hosts, int Suspects)> ClusterSuspicionAsync(UnitOfWork work, string cluster) =>
        await work.Connection.QuerySingleAsync<(int, int)>("""
            SELECT count(*)::int,
                   count(*) FILTER (WHERE s.status = @suspect OR EXISTS (
                       SELECT 1 FROM ha_orchestrator.incidents i WHERE i.host_id = h.host_id AND i.closed_at IS NULL))::int
            FROM ha_orchestrator.hosts h LEFT JOIN ha_orchestrator.host_statuses s ON s.host_id = h.host_id
            WHERE h.cluster = @cluster AND s.status IS DISTINCT FROM @maintenance
            """, new { cluster, suspect = nameof(HostStatus.Suspect), maintenance = nameof(HostStatus.Maintenance) }, work.Transaction);

    public async Task<IReadOnlyList<Incident>> ListAsync(string? hostId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentRow>(
            SelectIncidents + " WHERE @hostId IS NULL OR host_id = @hostId ORDER BY suspected_at DESC", new { hostId });
        return rows.Select(r => r.ToIncident([])).ToList();
    }

    public async Task<Incident?> GetAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<IncidentRow>(SelectIncidents + " WHERE incident_id = @incidentId", new { incidentId });
        if (row is null) return null;
        var steps = await connection.QueryAsync<StepRow>(
            "SELECT at, step, detail, evidence FROM ha_orchestrator.incident_steps WHERE incident_id = @incidentId ORDER BY at, step_no", new { incidentId });
        return row.ToIncident(steps.Select(s => new IncidentStep(s.at, s.step, s.detail, s.evidence)).ToList());
    }

    /// <summary>
    /// Rows as Dapper reads them (settable properties: Npgsql reports text[] as a plain Array).
    /// Statuses and verdicts are parsed by name: a name this version does not know fails the read.
    /// </summary>
    private sealed class IncidentRow
    {
        public Guid incident_id { get; init; }
        public string host_id { get; init; } = "";
        public string? cluster { get; init; }
        public DateTimeOffset suspected_at { get; init; }
        public int consecutive_misses { get; init; }
        public string[] errors { get; init; } = [];
        public IncidentStatus status { get; init; }
        public HostVerdict? verdict { get; init; }
        public string? trace_id { get; init; }
        public DateTimeOffset? closed_at { get; init; }

        public Incident ToIncident(IReadOnlyList<IncidentStep> timeline) => new(
            incident_id, host_id, cluster, suspected_at, consecutive_misses, errors, status, verdict, trace_id, closed_at, timeline);
    }

    private sealed class StepRow
    {
        public DateTimeOffset at { get; init; }
        public string step { get; init; } = "";
        public string detail { get; init; } = "";
        public string[] evidence { get; init; } = [];
    }
}
