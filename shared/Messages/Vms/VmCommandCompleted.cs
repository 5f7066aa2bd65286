namespace CloudBus.Messages.Vms;

/// <summary>
/// A VM command or operation ended, however it ended: published (never sent as a reply) once its
/// outcome is stored, so whoever asked hears of it on a queue of its own, even if the instance
/// that asked, or the one that ran it, has died since. An operation left unfinished by a dead
/// VmLifecycle instance is completed by the instance that settles it.
/// </summary>
public sealed record VmCommandCompleted
{
    public required Guid VmId { get; init; }
    /// <summary>The command's operation id (empty for create and HA settings, which have none).</summary>
    public required Guid OperationId { get; init; }
    public required VmOperationKind Operation { get; init; }
    public required VmCommandOutcome Outcome { get; init; }
    /// <summary>Why, for any outcome but Done.</summary>
    public required string Message { get; init; }
    /// <summary>The VM's state afterwards (null when it does not exist).</summary>
    public VmState? State { get; init; }
    public string? HostId { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
