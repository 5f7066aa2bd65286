using CloudBus.HaOrchestrator.Persistence;

namespace CloudBus.HaOrchestrator.Api;

/// <summary>Host incidents and restart requests for operators.</summary>
public static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/incidents", async (IncidentStore incidents, CancellationToken ct) => Results.Ok(await incidents.ListAsync(ct)));
        app.MapGet("/restarts", async (RestartRequestStore restarts, CancellationToken ct) => Results.Ok(await restarts.ListAsync(ct)));
    }
}
