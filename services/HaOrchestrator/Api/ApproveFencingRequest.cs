namespace CloudBus.HaOrchestrator.Api;

/// <summary>
/// Body of <c>POST /incidents/{id}/approve-fencing</c> (optional): on whose behalf the token's
/// holder approves, recorded beside the holder's name.
/// </summary>
public sealed record ApproveFencingRequest(string? ApprovedBy)
{
    public const int MaxLength = 128;

    /// <summary>Null when fine; otherwise what is wrong.</summary>
    public string? Validate() =>
        ApprovedBy is null || (ApprovedBy.Length <= MaxLength && !ApprovedBy.Any(char.IsControl))
            ? null
            : $"approvedBy must be at most {MaxLength} characters without control characters.";
}
