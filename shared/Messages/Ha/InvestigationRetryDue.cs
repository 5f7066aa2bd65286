namespace CloudBus.Messages.Ha;

/// <summary>Timer: investigate again (after an undetermined verdict, a failed fence, or to re-check a disconnected host).</summary>
public sealed record InvestigationRetryDue
{
    public required Guid InvestigationId { get; init; }
    /// <summary>The attempt that scheduled this retry; a retry for an older attempt is ignored.</summary>
    public required int Attempt { get; init; }
}
