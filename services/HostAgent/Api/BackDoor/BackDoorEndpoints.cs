namespace CloudBus.HostAgent.Api.BackDoor;

public static class BackDoorEndpoints
{
    /// <summary>Everything a test or demo uses to shape and break the simulated fleet, and to audit it.</summary>
    public static IEndpointRouteBuilder MapSimulationBackDoor(this IEndpointRouteBuilder app) =>
        app.MapFleetApi().MapPowerApi().MapFaultApi().MapAuditApi();
}
