using CloudBus.HostAgent.Simulation;
using Microsoft.Extensions.Options;

namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>The simulation's back door for adding and listing hosts; never subject to faults.</summary>
public static class FleetEndpoints
{
    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder app)
    {
        var fleet = app.MapGroup("/fleet/hosts").WithTags("Simulation");

        fleet.MapPost("", AddHost);

        fleet.MapGet("", (SimulatedFleet simulation) => Results.Ok(simulation.ListHosts()));

        fleet.MapGet("/{hostId}", (string hostId, SimulatedFleet simulation) =>
            simulation.FindHost(hostId) is { } view ? Results.Ok(view) : Problems.UnknownHost(hostId));

        return app;
    }

    private static IResult AddHost(AddHostRequest body, SimulatedFleet simulation, IOptions<SimulatedOptions> options)
    {
        if (body.Problem() is { } problem)
        {
            return Problems.BadRequest(problem);
        }

        var shape = body.ToShape(options.Value);
        return simulation.AddHost(shape) switch
        {
            AddHostOutcome.Created => Results.Created($"/fleet/hosts/{shape.HostId}", simulation.FindHost(shape.HostId)),
            AddHostOutcome.AlreadyExists => Results.Ok(simulation.FindHost(shape.HostId)),
            _ => Problems.Conflict("Host exists with another shape", DescribeConflict(shape, simulation.FindHost(shape.HostId)!)),
        };
    }

    private static string DescribeConflict(HostShape wanted, FleetHostView existing) =>
        $"Host '{wanted.HostId}' already exists in cluster '{existing.Cluster}' with {existing.CpuCores} cores and "
        + $"{existing.MemoryMib} MiB, not in '{wanted.Cluster}' with {wanted.CpuCores} cores and {wanted.MemoryMib} MiB.";
}
