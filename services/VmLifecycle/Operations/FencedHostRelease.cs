using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Scheduling;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using Npgsql;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// After HaOrchestrator proved a host fenced: every VM on it goes Stopped (its capacity released),
/// and <see cref="FencedHostReleased"/> lists those VMs so HA can restart them. (The host's status,
/// Down, is HostMonitor's to set; it was not Connected since it became suspect, so nothing is placed on it.) All of it commits in one transaction with the announcement, so a crash between VMs can
/// neither lose a VM from the list nor release a VM twice: a redelivered command finds the host
/// empty and announces nothing new.
/// </summary>
public sealed partial class FencedHostRelease(
    NpgsqlDataSource dataSource, VmTransitions transitions, ScheduledMessages outbox, TimeProvider clock, ILogger<FencedHostRelease> logger)
{
    public async Task<IReadOnlyList<ReleasedVm>> ReleaseAsync(ReleaseFencedHost command, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await FencedReleases.FindAsync(connection, transaction, command.InvestigationId) is { } earlier)
        {
            // Done before: announce the same VMs again (a lost announcement is replaced; an
            // empty list can never overtake the real one).
            await outbox.EnqueueAsync(connection, transaction, earlier);
            await transaction.CommitAsync(cancellationToken);
            transitions.Committed();
            return earlier.Vms;
        }

        var released = new List<ReleasedVm>();
        var reason = $"host {command.HostId} fenced ({command.FencedBy})";
        foreach (var vm in await VmStore.LockOnHostAsync(connection, transaction, command.HostId))
        {
            var result = await transitions.ApplyToLockedAsync(connection, transaction, vm, VmEvent.HostFenced, reason);
            if (result.ChangedFrom is not { } before) continue;
            released.Add(new ReleasedVm
            {
                VmId = vm.VmId, Incarnation = vm.Incarnation, StateBefore = before, HaLevel = vm.HaLevel, RestartPriority = vm.RestartPriority,
            });
        }

        var announcement = new FencedHostReleased
        {
            InvestigationId = command.InvestigationId, HostId = command.HostId, Vms = released, ReleasedAt = clock.GetUtcNow(),
        };
        // A concurrent release of the same investigation fails here on the key and is retried,
        // then finds this one's record.
        await FencedReleases.InsertAsync(connection, transaction, announcement);
        await outbox.EnqueueAsync(connection, transaction, announcement);
        await transaction.CommitAsync(cancellationToken);
        transitions.Committed();
        LogReleased(command.HostId, released.Count, command.FencedBy);
        return released;
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Host {HostId} fenced ({FencedBy}): Down, {Count} VMs on it Stopped")]
    private partial void LogReleased(string hostId, int count, string fencedBy);
}
