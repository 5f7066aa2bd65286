namespace CloudBus.Messages.Vms;

/// <summary>A VM stopped because its host was fenced: the run that ended, and its HA settings.</summary>
public sealed record ReleasedVm
{
    public required Guid VmId { get; init; }
    /// <summary>The run that ended; its restart is keyed by (VM, incarnation).</summary>
    public required long Incarnation { get; init; }
    public required VmState StateBefore { get; init; }
    public required VmHaLevel HaLevel { get; init; }
    public required int RestartPriority { get; init; }
}
