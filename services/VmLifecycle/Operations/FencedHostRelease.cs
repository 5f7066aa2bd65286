using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// After HaOrchestrator proved a host fenced: every VM on it goes Stopped (its capacity released),
/// and <see cref="FencedHostReleased"/> lists those VMs so HA can restart them. (The host's status,
/// Down, is HostMonitor's to set; it was not Connected since it became suspect, so nothing is placed on it.) All of it commits in one transaction with the announcement, so a crash between VMs can
/// neither lose a VM from the list nor release a VM twice: a redelivered command finds the host
/// empty and announces nothing new.
/// </summary>
public sealed partial class FencedHostRelease(UnitsOfWork units, VmTransitions transitions, TimeProvider clock, ILogger<FencedHostRelease> logger)
{
    public async Task<IReadOnlyList<ReleasedVm>> ReleaseAsync(ReleaseFencedHost command, CancellationToken cancellationToken)
    {
        await using var work = await units.BeginAsync(cancellationToken);
        if (await FencedReleases.FindAsync(work, command.InvestigationId) is { } earlier)
        {
            // Done before: announce the same VMs again (a lost announcement is replaced; an
            // empty list can never overtake the real one).
            await work.PublishAsync(earlier);
            await work.CommitAsync(cancellationToken);
            return earlier.Vms;
        }

        var released = new List<ReleasedVm>();
        var reason = $"host {command.HostId} fenced ({command.FencedBy})";
        foreach (var vm in await VmStore.LockOnHostAsync(work, command.HostId))
        {
            var result = await transitions.ApplyToLockedAsync(work, vm, VmEvent.HostFenced, reason);
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
        await FencedReleases.InsertAsync(work, announcement);
        await work.PublishAsync(announcement);
        await work.CommitAsync(cancellationToken);
        LogReleased(command.HostId, released.Count, command.FencedBy);
        return released;
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Host {HostId} fenced ({FencedBy}): Down, {Count} VMs on it Stopped")]
    private partial void LogReleased(string hostId, int count, string fencedBy);
}
