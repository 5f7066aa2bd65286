namespace CloudBus.Messages.Ha;

/// <summary>A host is proven unable to run its VMs; they may now be started elsewhere.</summary>
public sealed record HostFenced
{
    public required Guid InvestigationId { get; init; }
    public required string HostId { get; init; }
    public required int Attempt { get; init; }
    /// <summary>The step that proved it, for example "BMC power off" or "self-fence".</summary>
    public required string Method { get; init; }
    public required IReadOnlyList<string> Evidence { get; init; }
    public required DateTimeOffset FencedAt { get; init; }
}
