namespace CloudBus.Messages.Vms;

/// <summary>Move a running VM to another host (send to <see cref="VmCommands.Address"/>).</summary>
public sealed record MigrateVm
{
    public required Guid VmId { get; init; }
    public required Guid OperationId { get; init; }
    /// <summary>The target, or null to let placement choose.</summary>
    public string? TargetHostId { get; init; }
}
