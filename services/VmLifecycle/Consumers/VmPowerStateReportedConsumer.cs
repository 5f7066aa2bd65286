using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Operations;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// Turns a hypervisor's report into a state-machine event for the VM's current run. A report
/// about another host or an older incarnation is stale and changes nothing.
/// </summary>
public sealed partial class VmPowerStateReportedConsumer(VmTransitions transitions, ILogger<VmPowerStateReportedConsumer> logger)
    : IConsumer<VmPowerStateReported>
{
    public async Task Consume(ConsumeContext<VmPowerStateReported> context)
    {
        var report = context.Message;
        var @event = report.PowerState switch
        {
            VmPowerState.Running => VmEvent.ReportedRunning,
            VmPowerState.Paused => VmEvent.ReportedPaused,
            _ => VmEvent.ReportedStopped,
        };
        // An absent VM carries no incarnation: the host id alone ties the report to the current run.
        long? incarnation = report.Incarnation == 0 ? null : report.Incarnation;
        var result = await transitions.ApplyAsync(
            report.VmId, @event, $"host {report.HostId} reports it {report.PowerState}", incarnation, report.HostId, context.CancellationToken);
        if (result.Outcome != VmOutcome.Done)
        {
            LogReportNotApplied(report.VmId, report.HostId, report.PowerState, result.Message);
            return;
        }

        // A running VM found stopped on a live host stopped unexpectedly: tell HA, which restarts NeverStop VMs.
        if (result is { ChangedFrom: VmState.Running or VmState.Paused, Vm.State: VmState.Stopped })
            await context.Publish(new VmStoppedUnexpectedly
            {
                VmId = result.Vm.VmId, HostId = report.HostId, Incarnation = result.Vm.Incarnation, HaLevel = result.Vm.HaLevel,
                RestartPriority = result.Vm.RestartPriority, StoppedAt = result.Vm.UpdatedAt,
            });
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Report of VM {VmId} {PowerState} on host {HostId} not applied: {Why}")]
    private partial void LogReportNotApplied(Guid vmId, string hostId, VmPowerState powerState, string why);
}
