namespace CloudBus.Messages.Vms;

/// <summary>Stop a VM, gracefully or by force (send to <see cref="VmCommands.Address"/>).</summary>
public sealed record StopVm
{
    public required Guid VmId { get; init; }
    public required Guid OperationId { get; init; }
    public bool Force { get; init; }
}
