using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Database;
using Dapper;
using Npgsql;

namespace CloudBus.HaOrchestrator.Incidents;

/// <summary>Host incidents and their timelines in <c>ha_orchestrator.incidents</c> and <c>incident_steps</c>.</summary>
public sealed class IncidentStore(NpgsqlDataSource dataSource)
{
    private const string SelectIncidents = """
        SELECT incident_id, host_id, cluster, suspected_at, consecutive_misses, errors, status, verdict, trace_id, closed_at
        FROM ha_orchestrator.incidents
        """;

    /// <summary>
    /// Opens the incident <paramref name="incidentId"/> for a suspicion, with its first step, in
    /// <paramref name="work"/>. A host has at most one open incident: a suspicion of a host that
    /// already has one is recorded there as a step instead.
    /// </summary>
    /// <returns>
    /// True when the incident was opened; false when the suspicion joined the host's open incident,
    /// or when this very suspicion's incident exists already (a redelivery after it was closed).
    /// </returns>
    public async Task<bool> OpenAsync(UnitOfWork work, Guid incidentId, HostSuspected suspicion, string? cluster, string? traceId, DateTimeOffset now)
    {
        var (connection, transaction) = (work.Connection, work.Transaction);
        // Conflicts on either key do nothing: (host, suspected_at) for a redelivery, the open-incident index for a join.
        var opened = await connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.incidents
                (incident_id, host_id, cluster, suspected_at, last_good_ping_at, consecutive_misses, errors, status, recorded_at, trace_id)
            VALUES (@incidentId, @HostId, @cluster, @SuspectedAt, @LastGoodPingAt, @ConsecutiveMisses, @errors, 'Investigating', @now, @traceId)
            ON CONFLICT DO NOTHING
            """, new
        {
            incidentId, suspicion.HostId, cluster, suspicion.SuspectedAt, suspicion.LastGoodPingAt, suspicion.ConsecutiveMisses,
            errors = suspicion.Errors.ToArray(), now, traceId,
        }, transaction) == 1;
        var lastGood = suspicion.LastGoodPingAt is { } at ? $"last good ping {at:O}" : "never answered a ping";
        var missed = $"{suspicion.ConsecutiveMisses} consecutive pings missed; {lastGood}";
        if (opened)
        {
            await InsertStepAsync(connection, transaction, incidentId, suspicion.SuspectedAt, "Suspected", missed, suspicion.Errors);
            return true;
        }

        var open = await connection.QuerySingleOrDefaultAsync<Guid?>(
            "SELECT incident_id FROM ha_orchestrator.incidents WHERE host_id = @HostId AND closed_at IS NULL AND incident_id <> @incidentId",
            new { suspicion.HostId, incidentId }, transaction);
        if (open is { } joined)
            await InsertStepAsync(connection, transaction, joined, suspicion.SuspectedAt, "Suspected again",
                $"{missed}; already under investigation, so this incident goes on", suspicion.Errors);
        return false;
    }

    /// <summary>Adds a step to the timeline and, when given, sets the incident's status (and verdict, and closes it), in <paramref name="work"/>.</summary>
    public async Task RecordAsync(
        UnitOfWork work, Guid incidentId, DateTimeOffset at, string step, string detail, IReadOnlyList<string>? evidence = null,
        string? status = null, string? verdict = null, bool close = false)
    {
        await InsertStepAsync(work.Connection, work.Transaction, incidentId, at, step, detail, evidence ?? []);
        if (status is not null || verdict is not null || close)
            await work.Connection.ExecuteAsync("""
                UPDATE ha_orchestrator.incidents
                SET status = coalesce(@status, status), verdict = coalesce(@verdict, verdict),
                    closed_at = CASE WHEN @close THEN coalesce(closed_at, @at) ELSE closed_at END
                WHERE incident_id = @incidentId
                """, new { incidentId, status, verdict, close, at }, work.Transaction);
    }

    /// <summary>The host's open incidents suspected before <paramref name="before"/> (those a host answering again at that moment ends).</summary>
    public async Task<IReadOnlyList<Guid>> OpenForHostAsync(string hostId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(
            "SELECT incident_id FROM ha_orchestrator.incidents WHERE host_id = @hostId AND closed_at IS NULL AND suspected_at < @before",
            new { hostId, before })).ToList();
    }

    /// <summary>For the brake: hosts of a cluster in service, and how many of them are suspect or under an open incident.</summary>
    public async Task<(int Hosts, int Suspects)> ClusterSuspicionAsync(UnitOfWork work, string cluster) =>
        await work.Connection.QuerySingleAsync<(int, int)>("""
            SELECT count(*)::int,
                   count(*) FILTER (WHERE s.status = 'Suspect' OR EXISTS (
                       SELECT 1 FROM ha_orchestrator.incidents i WHERE i.host_id = h.host_id AND i.closed_at IS NULL))::int
            FROM ha_orchestrator.hosts h LEFT JOIN ha_orchestrator.host_statuses s ON s.host_id = h.host_id
            WHERE h.cluster = @cluster AND coalesce(s.status, '') <> 'Maintenance'
            """, new { cluster }, work.Transaction);

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
        return row.ToIncident(steps.Select(s => new IncidentStep(Utc(s.at), s.step, s.detail, s.evidence)).ToList());
    }

    public static Task InsertStepAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid incidentId, DateTimeOffset at, string step, string detail, IReadOnlyList<string> evidence) =>
        connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.incident_steps (incident_id, at, step, detail, evidence)
            VALUES (@incidentId, @at, @step, @detail, @evidence)
            """, new { incidentId, at, step, detail, evidence = evidence.ToArray() }, transaction);

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    /// <summary>Rows as Dapper reads them (settable properties: Npgsql reports text[] as a plain Array).</summary>
    private sealed class IncidentRow
    {
        public Guid incident_id { get; init; }
        public string host_id { get; init; } = "";
        public string? cluster { get; init; }
        public DateTime suspected_at { get; init; }
        public int consecutive_misses { get; init; }
        public string[] errors { get; init; } = [];
        public string status { get; init; } = "";
        public string? verdict { get; init; }
        public string? trace_id { get; init; }
        public DateTime? closed_at { get; init; }

        public Incident ToIncident(IReadOnlyList<IncidentStep> timeline) => new(
            incident_id, host_id, cluster, Utc(suspected_at), consecutive_misses, errors, status, verdict, trace_id,
            closed_at is { } closed ? Utc(closed) : null, timeline);
    }

    private sealed class StepRow
    {
        public DateTime at { get; init; }
        public string step { get; init; } = "";
        public string detail { get; init; } = "";
        public string[] evidence { get; init; } = [];
    }
}
