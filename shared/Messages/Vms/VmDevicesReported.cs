namespace CloudBus.Messages.Vms;

/// <summary>
/// VM sync found a VM's devices on its host different from those it last reported (a device
/// hot-plugged or removed). HostMonitor publishes; VmLifecycle records them for the VM's current run.
/// </summary>
public sealed record VmDevicesReported
{
    public required Guid VmId { get; init; }
    public required string HostId { get; init; }
    public required long Incarnation { get; init; }
    public required VmDevices Devices { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
}
