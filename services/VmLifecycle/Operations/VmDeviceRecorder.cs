using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// Records the devices a host reports for a VM's run (after its start or reboot, or a change found
/// by sync) and logs what changed. The one place devices are written.
/// </summary>
public sealed partial class VmDeviceRecorder(UnitsOfWork units, TimeProvider clock, ILogger<VmDeviceRecorder> logger)
{
    public async Task RecordAsync(Guid vmId, ReportedDevices report, CancellationToken cancellationToken)
    {
        bool stored;
        VmDevices? before;
        await using (var work = await units.BeginAsync(cancellationToken))
        {
            (stored, before) = await VmDeviceStore.RecordAsync(work, vmId, report);
            await work.CommitAsync(cancellationToken);
        }
        if (!stored)
            LogStale(vmId, report.HostId, report.Incarnation);
        else if (!report.Devices.Equals(before))
            LogChanged(vmId, report.HostId, report.ReportedBy, before, report.Devices);
    }

    /// <summary>
    /// The devices a host answered a start (or reboot) of <paramref name="run"/> with (nothing when
    /// the agent did not say). A failure to record is logged, not the operation's failure (the VM
    /// runs); sync records the devices once they change.
    /// </summary>
    public async Task AfterStartAsync(VmRecord run, string hostId, VmDevices? reported, DeviceReportSource source)
    {
        if (reported is null) return;
        try
        {
            await RecordAsync(run.VmId, new ReportedDevices(reported, hostId, run.Incarnation, source, clock.GetUtcNow()), CancellationToken.None);
        }
        catch (Exception exception) when (CloudBus.ServiceDefaults.Bus.TransientFailures.IsTransient(exception))
        {
            LogNotRecorded(exception, run.VmId, hostId);
        }
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "VM {VmId} on host {HostId}: devices [{Before}] -> [{After}] (reported by {Source})")]
    private partial void LogChanged(Guid vmId, string hostId, DeviceReportSource source, VmDevices? before, VmDevices after);

    [LoggerMessage(EventId = 331, Level = LogLevel.Debug, Message = "Devices of VM {VmId} on host {HostId} (incarnation {Incarnation}) not recorded: not its current run")]
    private partial void LogStale(Guid vmId, string hostId, long incarnation);

    [LoggerMessage(EventId = 332, Level = LogLevel.Warning, Message = "Devices of VM {VmId} on host {HostId} not recorded; sync records them when they change")]
    private partial void LogNotRecorded(Exception exception, Guid vmId, string hostId);
}
