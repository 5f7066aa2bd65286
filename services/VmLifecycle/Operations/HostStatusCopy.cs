using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// VmLifecycle's copy of each host's status (HostMonitor owns it): placement uses only Connected
/// hosts, and while a host does not answer (Suspect, or alive but cut off), the VMs running on it
/// read Unknown, saying why, until the host answers again (its report makes them Running) or is
/// fenced (the release makes them Stopped). A copy older than the one held changes nothing.
/// </summary>
public sealed partial class HostStatusCopy(UnitsOfWork units, VmTransitions transitions, ILogger<HostStatusCopy> logger)
{
    public async Task ApplyAsync(HostStatusChanged change, CancellationToken cancellationToken)
    {
        await using var work = await units.BeginAsync(cancellationToken);
        if (!await HostStore.SetStatusAsync(work, change.HostId, change.To, change.ChangedAt)) return;
        var doubted = 0;
        if (change.To is HostStatus.Suspect or HostStatus.Disconnected)
        {
            var reason = $"host {change.HostId} is {change.To} since {change.ChangedAt:O}: not known whether it still runs until the host answers or is fenced";
            foreach (var vm in await VmStore.LockOnHostAsync(work, change.HostId))
                if ((await transitions.ApplyToLockedAsync(work, vm, VmEvent.HostUnreachable, reason)).ChangedFrom is not null)
                    doubted++;
        }
        await work.CommitAsync(cancellationToken);
        if (doubted > 0) LogDoubted(change.HostId, change.To, doubted);
    }

    [LoggerMessage(EventId = 340, Level = LogLevel.Warning, Message = "Host {HostId} is {Status}: {Count} VMs on it are Unknown until it answers or is fenced")]
    private partial void LogDoubted(string hostId, HostStatus status, int count);
}
