namespace CloudBus.Messages.Vms;

/// <summary>Destroy a VM (send to <see cref="VmCommands.Address"/>).</summary>
public sealed record DestroyVm
{
    public required Guid VmId { get; init; }
    public required Guid OperationId { get; init; }
}
