namespace CloudBus.Messages.Routing;

/// <summary>
/// The members of one service's ring changed (or NodeRegistry repeats the current ring so that
/// an instance that missed a change catches up). Every instance builds the same ring from these
/// fields; a higher epoch is newer, and older or equal epochs are ignored.
/// </summary>
public sealed record RingChanged
{
    public required string Service { get; init; }
    public required long Epoch { get; init; }
    /// <summary>Instance ids, sorted.</summary>
    public required IReadOnlyList<string> Members { get; init; }
    public required int VirtualNodesPerMember { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
