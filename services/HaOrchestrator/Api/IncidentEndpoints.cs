using CloudBus.HaOrchestrator.Persistence;

namespace CloudBus.HaOrchestrator.Api;

/// <summary>Host incidents for operators.</summary>
public static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/incidents", async (IncidentStore incidents, CancellationToken ct) => Results.Ok(await incidents.ListAsync(ct)));
}
