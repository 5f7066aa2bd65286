using CloudBus.HostMonitor.Monitoring;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>
/// Every instance hears of maintenance (its own queue), so whichever owns the host stops or resumes
/// pinging it; the owner records and announces the change.
/// </summary>
public sealed class HostMaintenanceChangedConsumer(MonitoredHosts hosts, HostOwnership ownership, HostStatusAnnouncer announcer)
    : IConsumer<HostMaintenanceChanged>
{
    public async Task Consume(ConsumeContext<HostMaintenanceChanged> context)
    {
        var message = context.Message;
        if (hosts.Find(message.HostId) is not { } host) return;
        HostHealthChange? change;
        lock (host)
            change = message.InMaintenance ? host.Tracker.EnterMaintenance(message.Reason) : host.Tracker.LeaveMaintenance(message.Reason);
        if (change is not null && ownership.Owns(message.HostId))
            await announcer.AnnounceAsync(host, change, message.ChangedAt, context.CancellationToken);
    }
}
