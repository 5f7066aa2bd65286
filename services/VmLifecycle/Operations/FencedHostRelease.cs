using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Scheduling;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using Npgsql;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// After HaOrchestrator proved a host fenced: the host goes Down and every VM on it Stopped
/// (its capacity released), and <see cref="FencedHostReleased"/> lists those VMs so HA can restart
/// them. All of it commits in one transaction with the announcement, so a crash between VMs can
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
        await HostStore.SetStatusAsync(connection, transaction, command.HostId, HostStatus.Down);

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

        await outbox.EnqueueAsync(connection, transaction, new FencedHostReleased
        {
            InvestigationId = command.InvestigationId, HostId = command.HostId, Vms = released, ReleasedAt = clock.GetUtcNow(),
        });
        await transaction.CommitAsync(cancellationToken);
        transitions.Committed();
        LogReleased(command.HostId, released.Count, command.FencedBy);
        return released;
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Host {HostId} fenced ({FencedBy}): Down, {Count} VMs on it Stopped")]
    private partial void LogReleased(string hostId, int count, string fencedBy);
}
