using CloudBus.ServiceDefaults.Telemetry;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.ServiceDefaults.Database;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>
/// Restart work items in <c>ha_orchestrator.restart_requests</c>, one per (VM, incarnation): a
/// duplicate or replayed request about the same run of a VM adds nothing, so it cannot be started
/// twice. Instances claim due items in priority order with FOR UPDATE SKIP LOCKED and a lease.
/// </summary>
public sealed class RestartStore(NpgsqlDataSource dataSource, IOptions<HaOptions> options, TimeProvider clock)
{
    /// <summary>Records restarts (quarantining VMs restarted too often lately) in <paramref name="work"/>.</summary>
    /// <returns>The requests that were new, with the status each got.</returns>
    public async Task<IReadOnlyList<(RestartRequest Request, RestartStatus Status)>> RequestAsync(
        UnitOfWork work, IReadOnlyList<RestartRequest> requests)
    {
        var added = new List<(RestartRequest, RestartStatus)>();
        var (connection, transaction) = (work.Connection, work.Transaction);
        foreach (var request in requests)
        {
            var recent = await connection.ExecuteScalarAsync<int>("""
                SELECT count(*) FROM ha_orchestrator.restart_requests WHERE vm_id = @VmId AND requested_at > @since
                """, new { request.VmId, since = request.RequestedAt - options.Value.QuarantineWindow }, transaction);
            var quarantined = RestartPolicy.Quarantines(recent, options.Value.QuarantineAfterRestarts);
            var status = quarantined ? RestartStatus.Quarantined : RestartStatus.Pending;
            var error = quarantined
                ? $"quarantined: restarted {recent} times within {options.Value.QuarantineWindow.TotalMinutes:0.#} min; an operator must start it"
                : null;
            var inserted = await connection.ExecuteAsync("""
                INSERT INTO ha_orchestrator.restart_requests
                    (vm_id, incarnation, host_id, reason, restart_priority, status, requested_at, incident_id, next_attempt_at, last_error, trace_parent, updated_at)
                VALUES (@VmId, @Incarnation, @HostId, @Reason, @RestartPriority, @status, @RequestedAt, @IncidentId, @RequestedAt, @error, @traceParent, @RequestedAt)
                ON CONFLICT (vm_id, incarnation) DO NOTHING
                """, new
            {
                request.VmId, request.Incarnation, request.HostId, request.Reason, request.RestartPriority, status = status.ToString(),
                request.RequestedAt, request.IncidentId, error, traceParent = StoredTraces.Current,
            }, transaction);
            if (inserted == 1) added.Add((request, status));
        }
        // Before any restart can be claimed: the incident is Restarting until its last one ends.
        foreach (var incidentId in requests.Select(r => r.IncidentId).OfType<Guid>().Distinct())
        {
            await connection.ExecuteAsync("UPDATE ha_orchestrator.incidents SET status = 'Restarting' WHERE incident_id = @incidentId",
                new { incidentId }, transaction);
            await SettleIncidentAsync(connection, transaction, incidentId);
        }
        return added;
    }

    /// <summary>
    /// Claims due restarts of the highest priority waiting, in <paramref name="work"/>, each for one
    /// more attempt: a lower priority is not claimed while a higher one is due or being started, so
    /// when capacity is short the most important VMs get it. A restart whose attempt went unanswered
    /// for a whole lease is due again (the next attempt sees how the last one ended), unless it has
    /// had all its attempts (see <see cref="FailUnansweredAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<ClaimedRestart>> ClaimDueAsync(UnitOfWork work, string instanceId, int batch)
    {
        if (batch <= 0) return [];
        var now = clock.GetUtcNow();
        var rows = await work.Connection.QueryAsync<ClaimedRestart>("""
            WITH due AS (
                SELECT r.vm_id, r.incarnation FROM ha_orchestrator.restart_requests r
                WHERE ((r.status IN ('Pending', 'Retrying') AND r.next_attempt_at <= @now)
                       OR (r.status = 'Starting' AND r.claimed_until < @now AND r.attempts < @maxAttempts))
                  AND NOT EXISTS (
                      SELECT 1 FROM ha_orchestrator.restart_requests h
                      WHERE h.restart_priority > r.restart_priority
                        AND ((h.status IN ('Pending', 'Retrying') AND h.next_attempt_at <= @now) OR h.status = 'Starting'))
                ORDER BY r.restart_priority DESC, r.requested_at
                LIMIT @batch
                FOR UPDATE OF r SKIP LOCKED)
            UPDATE ha_orchestrator.restart_requests r
            SET status = 'Starting', claimed_by = @instanceId, claimed_until = @leaseEnd, attempts = r.attempts + 1, updated_at = @now
            FROM due WHERE r.vm_id = due.vm_id AND r.incarnation = due.incarnation
            RETURNING r.vm_id AS VmId, r.incarnation AS Incarnation, r.host_id AS HostId, r.attempts AS Attempts,
                      r.restart_priority AS RestartPriority, r.incident_id AS IncidentId, r.trace_parent AS TraceParent
            """, new { now, instanceId, leaseEnd = now + options.Value.RestartLease, batch, maxAttempts = options.Value.RestartMaxAttempts }, work.Transaction);
        return rows.OrderByDescending(r => r.RestartPriority).ToList();
    }

    /// <summary>The operation id of a claimed attempt: its end (VmCommandCompleted) is matched to the restart by it.</summary>
    public static Task SetAttemptAsync(UnitOfWork work, ClaimedRestart restart, Guid operationId) =>
        work.Connection.ExecuteAsync("""
            UPDATE ha_orchestrator.restart_requests SET attempt_operation_id = @operationId
            WHERE vm_id = @VmId AND incarnation = @Incarnation
            """, new { restart.VmId, restart.Incarnation, operationId }, work.Transaction);

    /// <summary>Attempts this instance has asked for whose end has not come yet (within their lease).</summary>
    public async Task<int> InFlightAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>("""
            SELECT count(*)::int FROM ha_orchestrator.restart_requests
            WHERE status = 'Starting' AND claimed_by = @instanceId AND claimed_until >= @now
            """, new { instanceId, now = clock.GetUtcNow() });
    }

    /// <summary>
    /// Records how an attempt ended, from its announced end, in <paramref name="work"/>, with a
    /// timeline step for its incident. Whichever instance hears the end records it.
    /// </summary>
    /// <returns>The restart and what it does next; null when no restart waits for this attempt (an older attempt, or not a restart).</returns>
    public async Task<(ClaimedRestart Restart, RestartStep Step)?> CompleteAttemptAsync(UnitOfWork work, Guid operationId, StartAttempt attempt)
    {
        var (connection, transaction) = (work.Connection, work.Transaction);
        var restart = await connection.QuerySingleOrDefaultAsync<ClaimedRestart>("""
            SELECT vm_id AS VmId, incarnation AS Incarnation, host_id AS HostId, attempts AS Attempts,
                   restart_priority AS RestartPriority, incident_id AS IncidentId, trace_parent AS TraceParent
            FROM ha_orchestrator.restart_requests WHERE attempt_operation_id = @operationId AND status = 'Starting' FOR UPDATE
            """, new { operationId }, transaction);
        if (restart is null) return null;

        var now = clock.GetUtcNow();
        var step = RestartPolicy.AfterAttempt(attempt, restart.Attempts, options.Value.RestartMaxAttempts, options.Value.RestartRetryInterval, now);
        // Restarts of one incident end one at a time, so the last to end sees the others ended
        // and settles the incident (two ending at once would each see the other still running).
        if (restart.IncidentId is { } lockedIncident)
            await connection.ExecuteAsync("SELECT 1 FROM ha_orchestrator.incidents WHERE incident_id = @lockedIncident FOR UPDATE",
                new { lockedIncident }, transaction);
        await connection.ExecuteAsync("""
            UPDATE ha_orchestrator.restart_requests
            SET status = @status, claimed_by = NULL, claimed_until = NULL, next_attempt_at = coalesce(@next, next_attempt_at),
                last_error = CASE WHEN @status = 'Running' THEN NULL ELSE @message END, restarted_on = @runningOn, updated_at = @now
            WHERE vm_id = @VmId AND incarnation = @Incarnation
            """, new { restart.VmId, restart.Incarnation, status = step.Status.ToString(), next = step.NextAttemptAt, step.Message, step.RunningOn, now },
            transaction);
        if (restart.IncidentId is { } incidentId)
        {
            await IncidentStore.InsertStepAsync(connection, transaction, incidentId, now, $"VM {step.Status}", $"VM {restart.VmId}: {step.Message}", []);
            await SettleIncidentAsync(connection, transaction, incidentId);
        }
        return (restart, step);
    }

    /// <summary>
    /// Restarts whose last allowed attempt went unanswered for a whole lease (VmLifecycle away):
    /// failed, in <paramref name="work"/>, so an operator hears of them.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedRestart>> FailUnansweredAsync(UnitOfWork work)
    {
        var now = clock.GetUtcNow();
        var message = $"gave up after {options.Value.RestartMaxAttempts} attempts: VmLifecycle did not say how the last one ended within {options.Value.RestartLease.TotalSeconds:0.#}s";
        var failed = (await work.Connection.QueryAsync<ClaimedRestart>("""
            UPDATE ha_orchestrator.restart_requests
            SET status = 'Failed', claimed_by = NULL, claimed_until = NULL, last_error = @message, updated_at = @now
            WHERE status = 'Starting' AND claimed_until < @now AND attempts >= @maxAttempts
            RETURNING vm_id AS VmId, incarnation AS Incarnation, host_id AS HostId, attempts AS Attempts,
                      restart_priority AS RestartPriority, incident_id AS IncidentId, trace_parent AS TraceParent
            """, new { now, message, maxAttempts = options.Value.RestartMaxAttempts }, work.Transaction)).ToList();
        foreach (var incidentId in failed.Select(r => r.IncidentId).OfType<Guid>().Distinct())
            await SettleIncidentAsync(work.Connection, work.Transaction, incidentId);
        return failed;
    }

    /// <summary>
    /// Once none of an incident's restarts is still to be tried, its status says how they ended:
    /// Restarted (every VM runs again) or RestartsFailed (some failed or were quarantined).
    /// </summary>
    private static Task<int> SettleIncidentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid incidentId) =>
        connection.ExecuteAsync("""
            UPDATE ha_orchestrator.incidents i
            SET status = CASE WHEN EXISTS (SELECT 1 FROM ha_orchestrator.restart_requests r
                                           WHERE r.incident_id = i.incident_id AND r.status IN ('Failed', 'Quarantined'))
                              THEN 'RestartsFailed' ELSE 'Restarted' END
            WHERE i.incident_id = @incidentId AND i.status = 'Restarting'
              AND NOT EXISTS (SELECT 1 FROM ha_orchestrator.restart_requests r
                              WHERE r.incident_id = i.incident_id AND r.status IN ('Pending', 'Starting', 'Retrying'))
            """, new { incidentId }, transaction);

    public async Task<IReadOnlyList<RestartView>> ListAsync(Guid? vmId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RestartRow>("""
            SELECT vm_id, incarnation, host_id, reason, restart_priority, status, attempts, requested_at, next_attempt_at, last_error,
                   restarted_on, incident_id, claimed_by, updated_at
            FROM ha_orchestrator.restart_requests WHERE @vmId IS NULL OR vm_id = @vmId
            ORDER BY restart_priority DESC, requested_at
            """, new { vmId });
        return rows.Select(r => r.ToView()).ToList();
    }

    private sealed record RestartRow(
        Guid vm_id, long incarnation, string host_id, string reason, int restart_priority, string status, int attempts, DateTime requested_at,
        DateTime next_attempt_at, string? last_error, string? restarted_on, Guid? incident_id, string? claimed_by, DateTime updated_at)
    {
        public RestartView ToView() => new(
            vm_id, incarnation, host_id, reason, restart_priority, status, attempts, Utc(requested_at), Utc(next_attempt_at), last_error,
            restarted_on, incident_id, claimed_by, Utc(updated_at));

        private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
    }
}
