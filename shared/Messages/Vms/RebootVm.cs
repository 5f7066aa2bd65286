namespace CloudBus.Messages.Vms;

/// <summary>Reboot a VM on its host (send to <see cref="VmCommands.Address"/>).</summary>
public sealed record RebootVm
{
    public required Guid VmId { get; init; }
    public required Guid OperationId { get; init; }
}
