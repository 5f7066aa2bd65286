using CloudBus.HaOrchestrator.Restarts;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Database;
using Dapper;

namespace CloudBus.HaOrchestrator.Incidents;

/// <summary>
/// The one writer of incidents and their timelines (<c>ha_orchestrator.incidents</c>,
/// <c>incident_steps</c>): the investigation saga and the restarts both write through it, always
/// in the caller's unit of work, so a step commits with the change it records or not at all.
/// </summary>
public sealed class IncidentTimeline(HaMetrics metrics, TimeProvider clock)
{
    /// <summary>
    /// When the incident dates its host's failure: the last good ping (the last moment the host was
    /// known to work), or the suspicion for a host that never answered one. HA's durations start here.
    /// </summary>
    private const string FailedAt = "coalesce(last_good_ping_at, suspected_at)";

    /// <summary>When the incident's host failed (see <see cref="FailedAt"/>), in <paramref name="work"/>.</summary>
    public Task<DateTimeOffset> FailedAtAsync(UnitOfWork work, Guid incidentId) =>
        work.Connection.QuerySingleAsync<DateTimeOffset>(
            $"SELECT {FailedAt} FROM ha_orchestrator.incidents WHERE incident_id = @incidentId", new { incidentId }, work.Transaction);

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
        // Conflicts on either key do nothing: (host, suspected_at) for a redelivery, the open-incident index for a join.
        var opened = await work.Connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.incidents
                (incident_id, host_id, cluster, suspected_at, last_good_ping_at, consecutive_misses, errors, status, recorded_at, trace_id)
            VALUES (@incidentId, @HostId, @cluster, @SuspectedAt, @LastGoodPingAt, @ConsecutiveMisses, @errors, @status, @now, @traceId)
            ON CONFLICT DO NOTHING
            """, new
        {
            incidentId, suspicion.HostId, cluster, suspicion.SuspectedAt, suspicion.LastGoodPingAt, suspicion.ConsecutiveMisses,
            errors = suspicion.Errors.ToArray(), status = nameof(IncidentStatus.Investigating), now, traceId,
        }, work.Transaction) == 1;
        var lastGood = suspicion.LastGoodPingAt is { } at ? $"last good ping {at:O}" : "never answered a ping";
        var missed = $"{suspicion.ConsecutiveMisses} consecutive pings missed; {lastGood}";
        if (opened)
        {
            await AddStepAsync(work, incidentId, suspicion.SuspectedAt, "Suspected", missed, suspicion.Errors);
            return true;
        }

        var open = await work.Connection.QuerySingleOrDefaultAsync<Guid?>(
            "SELECT incident_id FROM ha_orchestrator.incidents WHERE host_id = @HostId AND closed_at IS NULL AND incident_id <> @incidentId",
            new { suspicion.HostId, incidentId }, work.Transaction);
        if (open is { } joined)
            await AddStepAsync(work, joined, suspicion.SuspectedAt, "Suspected again",
                $"{missed}; already under investigation, so this incident goes on", suspicion.Errors);
        return false;
    }

    /// <summary>Adds a step to the timeline and, when given, sets the incident's verdict and closes it, in <paramref name="work"/>.</summary>
    public async Task RecordAsync(
        UnitOfWork work, Guid incidentId, DateTimeOffset at, string step, string detail, IReadOnlyList<string>? evidence = null,
        HostVerdict? verdict = null, bool close = false)
    {
        await AddStepAsync(work, incidentId, at, step, detail, evidence ?? []);
        if (verdict is not null || close)
            await work.Connection.ExecuteAsync("""
                UPDATE ha_orchestrator.incidents
                SET verdict = coalesce(@verdict, verdict), closed_at = CASE WHEN @close THEN coalesce(closed_at, @at) ELSE closed_at END
                WHERE incident_id = @incidentId
                """, new { incidentId, verdict = verdict?.ToString(), close, at }, work.Transaction);
    }

    /// <summary>Sets the incident's status, in <paramref name="work"/>.</summary>
    public Task SetStatusAsync(UnitOfWork work, Guid incidentId, IncidentStatus status) =>
        work.Connection.ExecuteAsync("UPDATE ha_orchestrator.incidents SET status = @status WHERE incident_id = @incidentId",
            new { incidentId, status = status.ToString() }, work.Transaction);

    /// <summary>
    /// Restarts were queued for the incident's VMs: it is Restarting until its last restart ends,
    /// then settled (at once if every one of them was quarantined). Settling as Restarted is the moment
    /// the last of the host's VMs runs again: HA's host recovery time.
    /// </summary>
    public async Task RestartsQueuedAsync(UnitOfWork work, Guid incidentId)
    {
        await SetStatusAsync(work, incidentId, IncidentStatus.Restarting);
        await SettleAsync(work, incidentId);
    }

    /// <summary>
    /// Takes the incident's lock, so that restarts of one incident end one at a time: the last to
    /// end sees the others ended and settles the incident (two ending at once would each see the
    /// other still running).
    /// </summary>
    public Task LockAsync(UnitOfWork work, Guid incidentId) =>
        work.Connection.ExecuteAsync("SELECT 1 FROM ha_orchestrator.incidents WHERE incident_id = @incidentId FOR UPDATE",
            new { incidentId }, work.Transaction);

    /// <summary>One of the incident's restarts ended (or gave up): a step, then the incident settles if it was the last.</summary>
    public async Task RestartEndedAsync(UnitOfWork work, Guid incidentId, DateTimeOffset at, Guid vmId, RestartStatus status, string why)
    {
        await AddStepAsync(work, incidentId, at, $"VM {status}", $"VM {vmId}: {why}", []);
        await SettleAsync(work, incidentId);
    }

    /// <summary>
    /// Once none of a Restarting incident's restarts is still to be tried, its status says how they
    /// ended: Restarted (every VM runs again) or RestartsFailed (some failed or were quarantined).
    /// </summary>
    public async Task SettleAsync(UnitOfWork work, Guid incidentId)
    {
        var settled = await work.Connection.QueryAsync<(string Status, DateTimeOffset FailedAt)>($"""
            UPDATE ha_orchestrator.incidents i
            SET status = CASE WHEN EXISTS (SELECT 1 FROM ha_orchestrator.restart_requests r
                                           WHERE r.incident_id = i.incident_id AND r.status = ANY(@gaveUp))
                              THEN @restartsFailed ELSE @restarted END
            WHERE i.incident_id = @incidentId AND i.status = @restarting
              AND NOT EXISTS (SELECT 1 FROM ha_orchestrator.restart_requests r
                              WHERE r.incident_id = i.incident_id AND r.status = ANY(@toTry))
            RETURNING i.status, {FailedAt}
            """, new
        {
            incidentId,
            gaveUp = RestartStatuses.GaveUp, toTry = RestartStatuses.StillToTry,
            restarting = nameof(IncidentStatus.Restarting), restarted = nameof(IncidentStatus.Restarted),
            restartsFailed = nameof(IncidentStatus.RestartsFailed),
        }, work.Transaction);
        foreach (var (status, failedAt) in settled)
            if (status == nameof(IncidentStatus.Restarted)) metrics.HostRecovered(work, failedAt, clock.GetUtcNow());
    }

    private static Task<int> AddStepAsync(UnitOfWork work, Guid incidentId, DateTimeOffset at, string step, string detail, IReadOnlyList<string> evidence) =>
        work.Connection.ExecuteAsync("""
            INSERT INTO ha_orchestrator.incident_steps (incident_id, at, step, detail, evidence)
            VALUES (@incidentId, @at, @step, @detail, @evidence)
            """, new { incidentId, at, step, detail, evidence = evidence.ToArray() }, work.Transaction);
}
