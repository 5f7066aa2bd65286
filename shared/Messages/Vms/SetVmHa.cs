namespace CloudBus.Messages.Vms;

/// <summary>Change what HA does for a VM (send to <see cref="VmCommands.Address"/>).</summary>
public sealed record SetVmHa
{
    public required Guid VmId { get; init; }
    public required VmHaLevel HaLevel { get; init; }
    public int RestartPriority { get; init; }
}
