using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Domain;

/// <summary>
/// The devices a VM's host last reported for its run: by whom (a start, a reboot, sync after a
/// change such as a hot-plug), and when.
/// </summary>
public sealed record ReportedDevices(VmDevices Devices, string HostId, long Incarnation, DeviceReportSource ReportedBy, DateTimeOffset ReportedAt);

/// <summary>What reported a VM's devices.</summary>
public enum DeviceReportSource
{
    /// <summary>The host's answer to the start of the run.</summary>
    Start,
    /// <summary>The host's answer to a reboot (the run started again).</summary>
    Reboot,
    /// <summary>VM sync found them changed since the last report (a device hot-plugged or removed).</summary>
    Sync,
}
