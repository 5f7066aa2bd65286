using CloudBus.HostAgent.Simulation;

namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>Host power, as a BMC would switch it. A back door: never subject to control-plane faults.</summary>
public static class PowerEndpoints
{
    public static IEndpointRouteBuilder MapPowerApi(this IEndpointRouteBuilder app)
    {
        var power = app.MapGroup("/hosts/{hostId}/power").WithTags("Power");

        power.MapGet("", (string hostId, FaultInjector faults) =>
            faults.IsPoweredOn(hostId) is { } on ? Results.Ok(new PowerStateReply(on)) : Problems.UnknownHost(hostId));

        power.MapPost("", (string hostId, PowerRequest body, FaultInjector faults) =>
        {
            if (body.On is not { } on)
            {
                return Problems.BadRequest("on is required: true to power the host on, false to cut its power.");
            }

            return faults.SetPower(hostId, on) is { } view
                ? Results.Ok(new PowerStateReply(view.PoweredOn))
                : Problems.UnknownHost(hostId);
        });

        return app;
    }
}
