namespace CloudBus.Messages.Ha;

/// <summary>The verdict of one investigation round, with the evidence it rests on.</summary>
public sealed record HostInvestigated
{
    public required Guid InvestigationId { get; init; }
    public required string HostId { get; init; }
    public required int Attempt { get; init; }
    public required HostVerdict Verdict { get; init; }
    /// <summary>Why this verdict, in one sentence.</summary>
    public required string Reason { get; init; }
    /// <summary>Each observation, one line each (direct check, every neighbour's reading).</summary>
    public required IReadOnlyList<string> Evidence { get; init; }
    public required DateTimeOffset InvestigatedAt { get; init; }
}
