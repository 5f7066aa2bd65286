namespace CloudBus.Messages.Vms;

/// <summary>
/// VM sync found a VM whose reported power state differs from what VmLifecycle believes, or whose
/// report changed. HostMonitor publishes; VmLifecycle decides what it means.
/// </summary>
public sealed record VmPowerStateReported
{
    public required Guid VmId { get; init; }
    public required string HostId { get; init; }
    public required VmPowerState PowerState { get; init; }
    /// <summary>The incarnation the host reported (0 when the VM was absent from the report).</summary>
    public required long Incarnation { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
}
