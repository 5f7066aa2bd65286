using CloudBus.HostAgent.Simulation;

namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>The run-interval audit that lets tests ask "did any VM ever run on two hosts at once?".</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/audit").WithTags("Audit");

        audit.MapGet("/intervals", (string? vmId, SimulatedFleet fleet) => Results.Ok(fleet.Intervals(vmId)));

        audit.MapGet("/double-runs", (SimulatedFleet fleet) => Results.Ok(fleet.DoubleRuns()));

        return app;
    }
}
