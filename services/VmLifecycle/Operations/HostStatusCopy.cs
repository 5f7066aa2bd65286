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
/// <remarks>
/// The status and the VMs are written in two transactions, host first. Every other writer locks a
/// VM's row before its host's (a stop releasing capacity, a start reserving it); holding the host
/// while waiting for VM rows deadlocked with a stop in flight. Once the status is committed no
/// start can reserve on the host, so the VMs locked next are all the VMs it has; a redelivery
/// after a crash between the two writes the same status again and doubts the VMs then.
/// </remarks>
public sealed partial class HostStatusCopy(UnitsOfWork units, VmTransitions transitions, ILogger<HostStatusCopy> logger)
{
    public async Task ApplyAsync(HostStatusChanged change, CancellationToken cancellationToken)
    {
        await using (var status = await units.BeginAsync(cancellationToken))
        {
            if (!await HostStore.SetStatusAsync(status, change.HostId, change.To, change.ChangedAt)) return;
            await status.CommitAsync(cancellationToken);
        }
        if (change.To is HostStatus.Suspect or HostStatus.Disconnected) await DoubtVmsAsync(change, cancellationToken);
    }

    private async Task DoubtVmsAsync(HostStatusChanged change, CancellationToken cancellationToken)
    {
        await using var work = await units.BeginAsync(cancellationToken);
        var vms = await VmStore.LockOnHostAsync(work, change.HostId);
        // A later copy may have been taken meanwhile (the host answered again): it decides, not this one.
        if (!await HostStore.StatusStillAsync(work, change.HostId, change.ChangedAt)) return;
        var reason = $"host {change.HostId} is {change.To} since {change.ChangedAt:O}: not known whether it still runs until the host answers or is fenced";
        var doubted = 0;
        foreach (var vm in vms)
            if ((await transitions.ApplyToLockedAsync(work, vm, VmEvent.HostUnreachable, reason)).ChangedFrom is not null)
                doubted++;
        await work.CommitAsync(cancellationToken);
        if (doubted > 0) LogDoubted(change.HostId, change.To, doubted);
    }

    [LoggerMessage(EventId = 340, Level = LogLevel.Warning, Message = "Host {HostId} is {Status}: {Count} VMs on it are Unknown until it answers or is fenced")]
    private partial void LogDoubted(string hostId, HostStatus status, int count);
}
