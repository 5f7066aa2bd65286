namespace CloudBus.Messages.Ha;

/// <summary>An operator lets an investigation held for one (by the brake, or after a BMC change) go on to fence.</summary>
public sealed record FencingApproved
{
    public required Guid InvestigationId { get; init; }
    public required string ApprovedBy { get; init; }
    public required DateTimeOffset ApprovedAt { get; init; }
}
