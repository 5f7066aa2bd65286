namespace CloudBus.Messages.Vms;

/// <summary>
/// A VM that should have been running was found stopped on a live host (it crashed, or was
/// stopped behind the platform's back). HA restarts it if its level is NeverStop.
/// </summary>
public sealed record VmStoppedUnexpectedly
{
    public required Guid VmId { get; init; }
    public required string HostId { get; init; }
    /// <summary>The run that stopped; a restart is keyed by (VM, incarnation) so it happens once.</summary>
    public required long Incarnation { get; init; }
    public required VmHaLevel HaLevel { get; init; }
    public required int RestartPriority { get; init; }
    public required DateTimeOffset StoppedAt { get; init; }
}
