namespace CloudBus.Messages.Ha;

/// <summary>An operator lets an investigation held by the brake (too many suspects in its cluster) go on to fence.</summary>
public sealed record FencingApproved
{
    public required Guid InvestigationId { get; init; }
    public required string ApprovedBy { get; init; }
    public required DateTimeOffset ApprovedAt { get; init; }
}
