using CloudBus.HostMonitor.Monitoring;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>
/// VmLifecycle took a host out of service or put it back (it owns that decision, and placement
/// follows it there). Here it decides whether the host is pinged: every instance hears of it (its
/// own queue) and proposes the change; the first to store it announces it.
/// </summary>
public sealed class HostMaintenanceChangedConsumer(MonitoredHosts hosts, HostStatusAnnouncer announcer)
    : IConsumer<HostMaintenanceChanged>
{
    public Task Consume(ConsumeContext<HostMaintenanceChanged> context)
    {
        var message = context.Message;
        return hosts.Find(message.HostId) is { } host
            ? announcer.CommitProposalAsync(host, tracker => tracker.ProposeMaintenance(message.InMaintenance, message.Reason),
                message.ChangedAt, context.CancellationToken)
            : Task.CompletedTask;
    }
}
