namespace CloudBus.Messages.Ha;

/// <summary>
/// Timer: a step of an investigation (probe or fence) has not answered in time. Fired by the
/// Postgres-backed timer; ignored unless the investigation is still in that step and attempt.
/// </summary>
public sealed record InvestigationDeadlinePassed
{
    public required Guid InvestigationId { get; init; }
    public required int Attempt { get; init; }
    public required string Step { get; init; }
}
