namespace CloudBus.Messages.Vms;

/// <summary>
/// Every VM placed on a host, each as the change that brought it to its current state (From and
/// To are both that state; ChangedAt is when it last changed), so a receiver applies them exactly
/// like the <see cref="VmStateChanged"/> events it also receives, newest winning.
/// </summary>
public sealed record VmStates
{
    public required IReadOnlyList<VmStateChanged> Vms { get; init; }
}
