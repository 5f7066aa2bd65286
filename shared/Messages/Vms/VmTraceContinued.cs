namespace CloudBus.Messages.Vms;

/// <summary>The operation announced by <see cref="VmTraceSkipped"/> ended, whatever its outcome: sync may trace the VM again.</summary>
public sealed record VmTraceContinued
{
    public required Guid VmId { get; init; }
    public required string OperatingInstance { get; init; }
    public required Guid OperationId { get; init; }
    public required DateTimeOffset ContinuedAt { get; init; }
}
