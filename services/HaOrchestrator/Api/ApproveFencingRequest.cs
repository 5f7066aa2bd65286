namespace CloudBus.HaOrchestrator.Api;

/// <summary>Body of <c>POST /incidents/{id}/approve-fencing</c> (optional): who approves.</summary>
public sealed record ApproveFencingRequest(string? ApprovedBy);
