using CloudBus.HostMonitor.Monitoring;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>
/// HaOrchestrator's verdicts change how a suspect host is shown: Alive makes it Disconnected (it
/// still runs its VMs; only we cannot reach it), fenced makes it Down. Every instance hears them
/// (its own queue) and proposes the change; the first to store it announces it. A host that
/// answers a ping later becomes Connected again as usual.
/// </summary>
public sealed class HostVerdictConsumer(MonitoredHosts hosts, HostStatusAnnouncer announcer)
    : IConsumer<HostInvestigated>, IConsumer<HostFenced>
{
    public Task Consume(ConsumeContext<HostInvestigated> context) =>
        context.Message.Verdict == HostVerdict.Alive
            ? ApplyAsync(context.Message.HostId, HostStatus.Disconnected, $"alive but unreachable: {context.Message.Reason}", context.Message.InvestigatedAt, context.CancellationToken)
            : Task.CompletedTask;

    public Task Consume(ConsumeContext<HostFenced> context) =>
        ApplyAsync(context.Message.HostId, HostStatus.Down, $"fenced by {context.Message.Method}", context.Message.FencedAt, context.CancellationToken);

    private Task ApplyAsync(string hostId, HostStatus to, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        hosts.Find(hostId) is { } host
            ? announcer.CommitProposalAsync(host, tracker => tracker.ProposeVerdict(to, reason), at, cancellationToken)
            : Task.CompletedTask;
}
