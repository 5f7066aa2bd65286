namespace CloudBus.Messages.Vms;

/// <summary>
/// A VmLifecycle instance begins an operation on a VM: VM sync must leave the VM alone until the
/// matching <see cref="VmTraceContinued"/> (or, if that instance departs, until an orphan TTL passes).
/// </summary>
public sealed record VmTraceSkipped
{
    public required Guid VmId { get; init; }
    /// <summary>The instance running the operation (its id on the vm-lifecycle ring).</summary>
    public required string OperatingInstance { get; init; }
    public required Guid OperationId { get; init; }
    /// <summary>What the operation is, for operators (start, stop, ...).</summary>
    public required VmOperationKind Operation { get; init; }
    public required DateTimeOffset SkippedAt { get; init; }
}
