using CloudBus.ServiceDefaults.Http;
using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Security;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using System.Security.Claims;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Api;

/// <summary>Host incidents with their timelines, restarts, and the operator's approval of a fence held for one.</summary>
public static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/incidents", async (string? hostId, int? limit, int? offset, HttpRequest request, IncidentStore incidents, CancellationToken ct) =>
            hostId is not null && !HostIds.IsValid(hostId)
                ? Results.Problem(HostIds.Rule("hostId"), statusCode: StatusCodes.Status400BadRequest, title: "Invalid host id")
                : Paging.List(request, limit, offset, await incidents.ListAsync(hostId, ct))).ForViewers()
            .AnswersPage<Incident>("Host incidents with their timelines, newest first; ?hostId= keeps one host's.");
        app.MapGet("/incidents/{incidentId:guid}", async (Guid incidentId, IncidentStore incidents, CancellationToken ct) =>
            await incidents.GetAsync(incidentId, ct) is { } incident ? Results.Ok(incident) : UnknownIncident(incidentId)).ForViewers()
            .Answers<Incident>("The incident with its timeline.").AnswersUnknownIncident();
        app.MapPost("/incidents/{incidentId:guid}/approve-fencing", ApproveFencingAsync).ForAdmins()
            .Answers<FencingApproval>(StatusCodes.Status202Accepted, "The approval went out; the incident's timeline shows the fence that follows.")
            .AnswersProblem(StatusCodes.Status400BadRequest, "approvedBy is too long or holds control characters, or the body is malformed.")
            .AnswersUnknownIncident()
            .AnswersProblem(StatusCodes.Status409Conflict, "The incident is not held for an operator (AwaitingOperator): there is nothing to approve.");
        app.MapGet("/restarts", async (Guid? vmId, int? limit, int? offset, HttpRequest request, RestartStore restarts, CancellationToken ct) =>
            Paging.List(request, limit, offset, await restarts.ListAsync(vmId, ct))).ForViewers()
            .AnswersPage<RestartView>("VM restarts HA made or is making, with their state; ?vmId= keeps one VM's.");
    }

    private static async Task<IResult> ApproveFencingAsync(
        Guid incidentId, ApproveFencingRequest? request, ClaimsPrincipal user, IncidentStore incidents, IPublishEndpoint publish, TimeProvider clock, CancellationToken ct)
    {
        if (request?.Validate() is { } invalid)
            return Results.Problem(invalid, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
        if (await incidents.GetAsync(incidentId, ct) is not { } incident) return UnknownIncident(incidentId);
        if (incident.Status != IncidentStatus.AwaitingOperator)
            return Results.Problem($"Incident {incidentId} of host {incident.HostId} is {incident.Status}; only an incident held for an operator (AwaitingOperator: by the brake, or after a BMC change) can be approved.",
                statusCode: StatusCodes.Status409Conflict, title: "Nothing to approve");
        // Who approved is who the token says: a name in the body is kept beside it, never instead of it.
        var approvedBy = user.Identity?.Name ?? "operator";
        if (!string.IsNullOrWhiteSpace(request?.ApprovedBy) && request.ApprovedBy != approvedBy) approvedBy += $" (for {request.ApprovedBy})";
        await publish.Publish(new FencingApproved
        {
            InvestigationId = incident.IncidentId, ApprovedBy = approvedBy, ApprovedAt = clock.GetUtcNow(),
        }, ct);
        return Results.Accepted($"/incidents/{incidentId}", new FencingApproval(incidentId, incident.HostId, approvedBy));
    }

    private static RouteHandlerBuilder AnswersUnknownIncident(this RouteHandlerBuilder route) =>
        route.AnswersProblem(StatusCodes.Status404NotFound, "No incident with this id.");

    private static IResult UnknownIncident(Guid incidentId) =>
        Results.Problem($"No incident {incidentId}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown incident");
}
