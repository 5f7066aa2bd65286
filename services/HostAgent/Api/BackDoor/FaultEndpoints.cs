using CloudBus.HostAgent.Simulation;

namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>
/// Fault injection for tests and demos. Each answers with the host as it is afterwards.
/// A back door: never subject to the faults it injects.
/// </summary>
public static class FaultEndpoints
{
    public static IEndpointRouteBuilder MapFaultApi(this IEndpointRouteBuilder app)
    {
        var faults = app.MapGroup("/hosts/{hostId}/faults").WithTags("Faults");

        faults.MapPost("/power-off", (string hostId, FaultInjector injector) => HostOr404(hostId, injector.PowerOff(hostId)));
        faults.MapPost("/power-on", (string hostId, FaultInjector injector) => HostOr404(hostId, injector.PowerOn(hostId)));
        faults.MapPost("/cut-control-plane", (string hostId, FaultInjector injector) => HostOr404(hostId, injector.CutControlPlane(hostId)));
        faults.MapPost("/isolate", (string hostId, FaultInjector injector) => HostOr404(hostId, injector.Isolate(hostId)));
        faults.MapPost("/heal", (string hostId, FaultInjector injector) => HostOr404(hostId, injector.Heal(hostId)));

        faults.MapPost("/slow", (string hostId, SlowRequest body, FaultInjector injector) =>
            body.Problem() is { } problem
                ? Problems.BadRequest(problem)
                : HostOr404(hostId, injector.Slow(hostId, body.DelayMs!.Value)));

        faults.MapPost("/flaky", (string hostId, FlakyRequest body, FaultInjector injector) =>
            body.Problem() is { } problem
                ? Problems.BadRequest(problem)
                : HostOr404(hostId, injector.Flaky(hostId, body.FailureRate!.Value)));

        faults.MapPost("/crash-vm/{vmId}", (string hostId, string vmId, FaultInjector injector, SimulatedFleet fleet) =>
            injector.CrashVm(hostId, vmId) switch
            {
                CrashVmOutcome.Crashed => Results.Ok(fleet.FindHost(hostId)),
                CrashVmOutcome.VmNotOnHost => Problems.NotFound("VM not on host", $"VM '{vmId}' is not running on host '{hostId}'."),
                _ => Problems.UnknownHost(hostId),
            });

        return app;
    }

    private static IResult HostOr404(string hostId, FleetHostView? view) =>
        view is null ? Problems.UnknownHost(hostId) : Results.Ok(view);
}
