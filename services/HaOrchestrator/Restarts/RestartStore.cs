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
    /// Claims due restarts of the highest priority waiting: a lower priority is not claimed while
    /// a higher one is due or being started, so when capacity is short the most important VMs get it.
    /// A restart whose claimant's lease ran out (the instance died) is due again.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedRestart>> ClaimDueAsync(string instanceId, int batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimedRestart>("""
            WITH due AS (
                SELECT r.vm_id, r.incarnation FROM ha_orchestrator.restart_requests r
                WHERE ((r.status IN ('Pending', 'Retrying') AND r.next_attempt_at <= @now) OR (r.status = 'Starting' AND r.claimed_until < @now))
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
            """, new { now, instanceId, leaseEnd = now + options.Value.RestartLease, batch });
        return rows.OrderByDescending(r => r.RestartPriority).ToList();
    }

    /// <summary>Records how an attempt ended (unless another instance took the restart over meanwhile), with a timeline step for its incident.</summary>
    public async Task<bool> CompleteAsync(ClaimedRestart restart, string instanceId, RestartStep step, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Restarts of one incident end one at a time, so the last to end sees the others ended
        // and settles the incident (two ending at once would each see the other still running).
        if (restart.IncidentId is { } lockedIncident)
            await connection.ExecuteAsync("SELECT 1 FROM ha_orchestrator.incidents WHERE incident_id = @lockedIncident FOR UPDATE",
                new { lockedIncident }, transaction);
        var updated = await connection.ExecuteAsync("""
            UPDATE ha_orchestrator.restart_requests
            SET status = @status, claimed_by = NULL, claimed_until = NULL, next_attempt_at = coalesce(@next, next_attempt_at),
                last_error = CASE WHEN @status = 'Running' THEN NULL ELSE @message END, restarted_on = @runningOn, updated_at = @now
            WHERE vm_id = @VmId AND incarnation = @Incarnation AND claimed_by = @instanceId AND status = 'Starting'
            """, new
        {
            restart.VmId, restart.Incarnation, instanceId, status = step.Status.ToString(), next = step.NextAttemptAt, step.Message, step.RunningOn, now,
        }, transaction) == 1;
        if (updated && restart.IncidentId is { } incidentId)
        {
            await IncidentStore.InsertStepAsync(connection, transaction, incidentId, now, $"VM {step.Status}",
                $"VM {restart.VmId}: {step.Message}", []);
            await SettleIncidentAsync(connection, transaction, incidentId);
        }
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    /// <summary>
    /// An instance stopping cleanly hands back the restarts it holds, so another takes them at
    /// once rather than when the lease ends. A start it had already asked for is harmless: the
    /// next attempt finds the VM running and records that.
    /// </summary>
    public async Task<int> ReleaseClaimsAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync("""
            UPDATE ha_orchestrator.restart_requests
            SET status = 'Pending', claimed_by = NULL, claimed_until = NULL, updated_at = @now
            WHERE claimed_by = @instanceId AND status = 'Starting'
            """, new { instanceId, now = clock.GetUtcNow() });
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
