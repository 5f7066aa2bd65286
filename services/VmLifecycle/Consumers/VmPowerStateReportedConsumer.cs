using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Operations;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// Turns a hypervisor's report into a state-machine event for the VM's current run. A report
/// about another host or an older incarnation is stale and changes nothing. A VM found stopped
/// that was running (or whose run was in doubt) stopped unexpectedly: HA hears of it in the same
/// transaction as the change.
/// </summary>
public sealed partial class VmPowerStateReportedConsumer(UnitsOfWork units, VmTransitions transitions, ILogger<VmPowerStateReportedConsumer> logger)
    : IConsumer<VmPowerStateReported>
{
    private static readonly HashSet<VmState> WasRunning = [VmState.Running, VmState.Paused, VmState.Unknown];

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
        await using var work = await units.BeginAsync(context.CancellationToken);
        var result = await transitions.ApplyAsync(work, report.VmId, @event, $"host {report.HostId} reports it {report.PowerState}", incarnation, report.HostId);
        if (result.Outcome != VmCommandOutcome.Done)
        {
            LogReportNotApplied(report.VmId, report.HostId, report.PowerState, result.Message);
            return;
        }

        // A VM found stopped on a live host stopped unexpectedly: tell HA, which restarts NeverStop VMs.
        if (result is { ChangedFrom: { } before, Vm.State: VmState.Stopped } && WasRunning.Contains(before))
            await work.PublishAsync(new VmStoppedUnexpectedly
            {
                VmId = result.Vm.VmId, HostId = report.HostId, Incarnation = result.Vm.Incarnation, HaLevel = result.Vm.HaLevel,
                RestartPriority = result.Vm.RestartPriority, StoppedAt = result.Vm.UpdatedAt,
            });
        await work.CommitAsync(context.CancellationToken);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Report of VM {VmId} {PowerState} on host {HostId} not applied: {Why}")]
    private partial void LogReportNotApplied(Guid vmId, string hostId, VmPowerState powerState, string why);
}
