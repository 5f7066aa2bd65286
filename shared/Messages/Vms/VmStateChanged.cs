namespace CloudBus.Messages.Vms;

/// <summary>VmLifecycle moved a VM from one state to another.</summary>
public sealed record VmStateChanged
{
    public required Guid VmId { get; init; }
    public required VmState From { get; init; }
    public required VmState To { get; init; }
    /// <summary>The host the VM runs on (or is placed on) after the change; null when it has none.</summary>
    public required string? HostId { get; init; }
    /// <summary>Increases on every start, so reports about an older run can be told apart.</summary>
    public required long Incarnation { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
