namespace CloudBus.Messages.Vms;

/// <summary>
/// Create a VM (send to <see cref="VmCommands.Address"/>). The sender chooses the VM id, so a
/// repeated command creates it once. Its end is published as <see cref="VmCommandCompleted"/>.
/// </summary>
public sealed record CreateVm
{
    public required Guid VmId { get; init; }
    public required string Name { get; init; }
    public required int CpuCores { get; init; }
    public required int MemoryMib { get; init; }
    public VmHaLevel HaLevel { get; init; }
    public int RestartPriority { get; init; }
}
