namespace CloudBus.HaOrchestrator.Api;

/// <summary>
/// What <c>POST /incidents/{id}/approve-fencing</c> answers (202): the approval went out; the
/// incident's timeline shows the fence that follows.
/// </summary>
public sealed record FencingApproval(Guid IncidentId, string HostId, string ApprovedBy);
