using CloudBus.HaOrchestrator.Incidents;
using CloudBus.Messages.Ha;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>
/// Restart work items in <c>ha_orchestrator.restart_requests</c>, one per (VM, incarnation): a
/// duplicate or replayed request about the same run of a VM adds nothing, so it cannot be started
/// twice. Instances claim due items in priority order with FOR UPDATE SKIP LOCKED and a lease.
/// Their incidents' timelines are written through <see cref="IncidentTimeline"/>.
/// </summary>
public sealed class RestartStore(
    NpgsqlDataSource dataSource, IncidentTimeline incidents, HaMetrics metrics, IOptions<HaOptions> options, TimeProvider clock)
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
        metrics.Quarantined(work, added.Count(a => a.Item2 == RestartStatus.Quarantined));
        // Before any restart can be claimed: the incident is Restarting until its last one ends.
        foreach (var incidentId in requests.Select(r => r.IncidentId).OfType<Guid>().Distinct())
            await incidents.RestartsQueuedAsync(work, incidentId);
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
                WHERE ((r.status = ANY(@waiting) AND r.next_attempt_at <= @now)
                       OR (r.status = @starting AND r.claimed_until < @now AND r.counted_attempts < @maxAttempts))
                  AND NOT EXISTS (
                      SELECT 1 FROM ha_orchestrator.restart_requests h
                      WHERE h.restart_priority > r.restart_priority
                        AND ((h.status = ANY(@waiting) AND h.next_attempt_at <= @now) OR h.status = @starting))
                ORDER BY r.restart_priority DESC, r.requested_at
                LIMIT @batch
                FOR UPDATE OF r SKIP LOCKED)
            UPDATE ha_orchestrator.restart_requests r
            SET status = @starting, claimed_by = @instanceId, claimed_until = @leaseEnd, attempts = r.attempts + 1, updated_at = @now
            FROM due WHERE r.vm_id = due.vm_id AND r.incarnation = due.incarnation
            RETURNING r.vm_id AS VmId, r.incarnation AS Incarnation, r.host_id AS HostId, r.attempts AS Attempts, r.waits AS Waits,
                      r.restart_priority AS RestartPriority, r.incident_id AS IncidentId, r.trace_parent AS TraceParent
            """, new
        {
            now, instanceId, leaseEnd = now + options.Value.RestartLease, batch, maxAttempts = options.Value.RestartMaxAttempts,
            waiting = RestartStatuses.Waiting, starting = Starting,
        }, work.Transaction);
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
            WHERE status = @starting AND claimed_by = @instanceId AND claimed_until >= @now
            """, new { instanceId, now = clock.GetUtcNow(), starting = Starting });
    }

    /// <summary>
    /// Records how an attempt ended, from its announced end, in <paramref name="work"/>, with a
    /// timeline step for its incident (and an alert if the restart failed for good). Whichever
    /// instance hears the end records it.
    /// </summary>
    /// <returns>The restart and what it does next; null when no restart waits for this attempt (an older attempt, or not a restart).</returns>
    public async Task<(ClaimedRestart Restart, RestartStep Step)?> CompleteAttemptAsync(UnitOfWork work, Guid operationId, StartAttempt attempt)
    {
        var (connection, transaction) = (work.Connection, work.Transaction);
        var restart = await connection.QuerySingleOrDefaultAsync<ClaimedRestart>("""
            SELECT vm_id AS VmId, incarnation AS Incarnation, host_id AS HostId, attempts AS Attempts, waits AS Waits,
                   restart_priority AS RestartPriority, incident_id AS IncidentId, trace_parent AS TraceParent
            FROM ha_orchestrator.restart_requests WHERE attempt_operation_id = @operationId AND status = @starting FOR UPDATE
            """, new { operationId, starting = Starting }, transaction);
        if (restart is null) return null;

        var now = clock.GetUtcNow();
        var step = RestartPolicy.AfterAttempt(attempt, restart.CountedAttempts, options.Value.RestartMaxAttempts, options.Value.RestartRetryInterval, now);
        if (restart.IncidentId is { } lockedIncident) await incidents.LockAsync(work, lockedIncident);
        await connection.ExecuteAsync("""
            UPDATE ha_orchestrator.restart_requests
            SET status = @status, claimed_by = NULL, claimed_until = NULL, next_attempt_at = coalesce(@next, next_attempt_at),
                last_error = @lastError, restarted_on = @runningOn, waits = waits + @waited, updated_at = @now
            WHERE vm_id = @VmId AND incarnation = @Incarnation
            """, new
        {
            restart.VmId, restart.Incarnation, status = step.Status.ToString(), next = step.NextAttemptAt, waited = step.Waited ? 1 : 0,
            lastError = step.Status == RestartStatus.Running ? null : step.Message, step.RunningOn, now,
        }, transaction);
        if (step.Status == RestartStatus.Running)
            metrics.Restarted(work, restart.IncidentId is { } failedHost ? await incidents.FailedAtAsync(work, failedHost) : null, now);
        if (restart.IncidentId is { } incidentId)
            await incidents.RestartEndedAsync(work, incidentId, now, restart.VmId, step.Status, step.Message);
        if (step.Status == RestartStatus.Failed) await AlertGaveUpAsync(work, restart.VmId, step.Message);
        return (restart, step);
    }

    /// <summary>
    /// Restarts whose last allowed attempt went unanswered for a whole lease (VmLifecycle away):
    /// failed, in <paramref name="work"/>, with an alert each.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedRestart>> FailUnansweredAsync(UnitOfWork work)
    {
        var now = clock.GetUtcNow();
        var message = $"gave up after {options.Value.RestartMaxAttempts} attempts: VmLifecycle did not say how the last one ended within {options.Value.RestartLease.TotalSeconds:0.#}s";
        var failed = (await work.Connection.QueryAsync<ClaimedRestart>("""
            UPDATE ha_orchestrator.restart_requests
            SET status = @failed, claimed_by = NULL, claimed_until = NULL, last_error = @message, updated_at = @now
            WHERE status = @starting AND claimed_until < @now AND counted_attempts >= @maxAttempts
            RETURNING vm_id AS VmId, incarnation AS Incarnation, host_id AS HostId, attempts AS Attempts, waits AS Waits,
                      restart_priority AS RestartPriority, incident_id AS IncidentId, trace_parent AS TraceParent
            """, new { now, message, maxAttempts = options.Value.RestartMaxAttempts, failed = nameof(RestartStatus.Failed), starting = Starting },
            work.Transaction)).ToList();
        foreach (var restart in failed) await AlertGaveUpAsync(work, restart.VmId, message);
        foreach (var incidentId in failed.Select(r => r.IncidentId).OfType<Guid>().Distinct())
            await incidents.SettleAsync(work, incidentId);
        return failed;
    }

    /// <summary>A restart failed for good: an operator hears why, in the transaction that records it, and it counts as a give-up.</summary>
    private Task AlertGaveUpAsync(UnitOfWork work, Guid vmId, string why)
    {
        metrics.GaveUp(work);
        return work.PublishAsync(new HaAlertRaised { Subject = vmId.ToString(), Message = $"VM {vmId} not restarted: {why}", RaisedAt = clock.GetUtcNow() });
    }

    public async Task<IReadOnlyList<RestartView>> ListAsync(Guid? vmId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RestartRow>("""
            SELECT vm_id, incarnation, host_id, reason, restart_priority, status, counted_attempts AS attempts, waits, requested_at, next_attempt_at, last_error,
                   restarted_on, incident_id, claimed_by, updated_at
            FROM ha_orchestrator.restart_requests WHERE @vmId IS NULL OR vm_id = @vmId
            ORDER BY restart_priority DESC, requested_at
            """, new { vmId });
        return rows.Select(r => r.ToView()).ToList();
    }

    private const string Starting = nameof(RestartStatus.Starting);

    private sealed record RestartRow(
        Guid vm_id, long incarnation, string host_id, string reason, int restart_priority, RestartStatus status, int attempts, int waits, DateTimeOffset requested_at,
        DateTimeOffset next_attempt_at, string? last_error, string? restarted_on, Guid? incident_id, string? claimed_by, DateTimeOffset updated_at)
    {
        public RestartView ToView() => new(
            vm_id, incarnation, host_id, reason, restart_priority, status, attempts, waits, requested_at, next_attempt_at, last_error,
            restarted_on, incident_id, claimed_by, updated_at);
    }
}
