using CloudBus.ServiceDefaults.Security;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.Messages.Ha;
using MassTransit;

namespace CloudBus.HaOrchestrator.Api;

/// <summary>Host incidents with their timelines, restarts, and the operator's approval of a fence held by the brake.</summary>
public static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/incidents", async (string? hostId, IncidentStore incidents, CancellationToken ct) =>
            Results.Ok(await incidents.ListAsync(hostId, ct))).ForViewers();
        app.MapGet("/incidents/{incidentId:guid}", async (Guid incidentId, IncidentStore incidents, CancellationToken ct) =>
            await incidents.GetAsync(incidentId, ct) is { } incident ? Results.Ok(incident) : UnknownIncident(incidentId)).ForViewers();
        app.MapPost("/incidents/{incidentId:guid}/approve-fencing", ApproveFencingAsync).ForAdmins();
        app.MapGet("/restarts", async (Guid? vmId, RestartStore restarts, CancellationToken ct) =>
            Results.Ok(await restarts.ListAsync(vmId, ct))).ForViewers();
    }

    private static async Task<IResult> ApproveFencingAsync(
        Guid incidentId, ApproveFencingRequest? request, IncidentStore incidents, IPublishEndpoint publish, TimeProvider clock, CancellationToken ct)
    {
        if (await incidents.GetAsync(incidentId, ct) is not { } incident) return UnknownIncident(incidentId);
        if (incident.Status != IncidentStatus.AwaitingOperator)
            return Results.Problem($"Incident {incidentId} of host {incident.HostId} is {incident.Status}; only an incident held by the brake (AwaitingOperator) can be approved.",
                statusCode: StatusCodes.Status409Conflict, title: "Nothing to approve");
        var approvedBy = string.IsNullOrWhiteSpace(request?.ApprovedBy) ? "operator" : request.ApprovedBy;
        await publish.Publish(new FencingApproved
        {
            InvestigationId = incident.IncidentId, ApprovedBy = approvedBy, ApprovedAt = clock.GetUtcNow(),
        }, ct);
        return Results.Accepted($"/incidents/{incidentId}", new { incidentId, incident.HostId, approvedBy });
    }

    private static IResult UnknownIncident(Guid incidentId) =>
        Results.Problem($"No incident {incidentId}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown incident");
}
