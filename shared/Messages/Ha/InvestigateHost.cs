namespace CloudBus.Messages.Ha;

/// <summary>
/// Investigate a suspect host: check it directly, then ask its neighbours to read its storage
/// heartbeat and to reach it (send to <see cref="HaCommands.InvestigateHostAddress"/>). Answered by
/// <see cref="HostInvestigated"/>.
/// </summary>
public sealed record InvestigateHost
{
    public required Guid InvestigationId { get; init; }
    public required string HostId { get; init; }
    /// <summary>Which round of the investigation this is; an answer to an older round is ignored.</summary>
    public required int Attempt { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
