namespace CloudBus.Messages.Ha;

/// <summary>
/// Prove a Down host can no longer run its VMs: power it off through its BMC, else wait for
/// proof that it fenced itself (send to <see cref="HaCommands.FenceHostAddress"/>). Answered by
/// <see cref="HostFenced"/> or <see cref="HostFencingFailed"/>.
/// </summary>
public sealed record FenceHost
{
    public required Guid InvestigationId { get; init; }
    public required string HostId { get; init; }
    public required int Attempt { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
