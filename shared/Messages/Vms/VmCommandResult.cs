namespace CloudBus.Messages.Vms;

/// <summary>How a VM command ended: Done, NotFound, Refused, NoCapacity or HostFailed, with the reason and the VM's state.</summary>
public sealed record VmCommandResult
{
    public required Guid VmId { get; init; }
    public required Guid OperationId { get; init; }
    public required string Outcome { get; init; }
    public required string Message { get; init; }
    public VmState? State { get; init; }
    public string? HostId { get; init; }
}
