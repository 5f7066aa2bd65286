using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api.ControlPlane;

/// <summary>
/// What the control-plane services call. Every request is subject to the host's faults: an
/// unreachable host drops the connection and does nothing. Neighbour requests go to the
/// neighbour <c>{hostId}</c>, so they fail when the neighbour is unreachable.
/// </summary>
public static class ControlPlaneEndpoints
{
    /// <returns>The routes, so that the caller can require a control-plane certificate of them.</returns>
    public static RouteGroupBuilder MapControlPlaneApi(this IEndpointRouteBuilder app)
    {
        var host = app.MapGroup("/hosts/{hostId}").WithTags("Control plane");

        host.MapGet("/ping", (string hostId, IHypervisorDriver driver, HttpContext http) =>
            driver.PingAsync(hostId, http.RequestAborted).ToResultAsync(hostId, http, ping => Results.Ok(ping)));

        host.MapGet("/vms", (string hostId, IHypervisorDriver driver, HttpContext http) =>
            driver.ListVmsAsync(hostId, http.RequestAborted).ToResultAsync(hostId, http, report => Results.Ok(report)));

        host.MapPost("/vms/{vmId}/start", StartVm);

        host.MapPost("/vms/{vmId}/stop", (string hostId, string vmId, StopVmRequest? body, IHypervisorDriver driver, HttpContext http) =>
            driver.StopVmAsync(hostId, vmId, body?.Force ?? false, http.RequestAborted).ToResultAsync(hostId, http, Stopped));

        host.MapPost("/vms/{vmId}/destroy", (string hostId, string vmId, IHypervisorDriver driver, HttpContext http) =>
            driver.DestroyVmAsync(hostId, vmId, http.RequestAborted).ToResultAsync(hostId, http, Stopped));

        host.MapGet("/storage/heartbeats/{otherHostId}", ReadNeighbourHeartbeat);

        host.MapGet("/events", WaitForEvents);

        host.MapGet("/neighbours/{otherHostId}/ping", PingNeighbour);

        return host;
    }

    // Input is checked before the host is contacted, as a malformed body is rejected by the
    // framework before any handler runs anyway.
    private static Task<IResult> StartVm(string hostId, string vmId, StartVmRequest body, IHypervisorDriver driver, HttpContext http)
    {
        if (body.Problem() is { } problem)
        {
            return Task.FromResult(Problems.BadRequest(problem));
        }

        return driver.StartVmAsync(hostId, vmId, body.ToSpec(), http.RequestAborted).ToResultAsync(hostId, http, result => result.Outcome switch
        {
            StartVmOutcome.Started or StartVmOutcome.AlreadyRunning =>
                Results.Ok(new VmStartedReply(vmId, VmPowerState.Running, result.Incarnation!.Value, result.Devices ?? VmDevices.None)),
            StartVmOutcome.IncarnationConflict => Problems.Conflict(
                "VM running with another incarnation", result.Message!,
                new Dictionary<string, object?> { ["runningIncarnation"] = result.Incarnation }),
            StartVmOutcome.Refused => Problems.Conflict("The hypervisor refused the start", result.Message!),
            _ => Problems.Conflict("Not enough free capacity", result.Message!),
        });
    }

    /// <summary>Long polling: the host's VM events after <paramref name="after"/>, waiting up to <paramref name="waitSeconds"/> (at most 60) for one.</summary>
    private static async Task<IResult> WaitForEvents(string hostId, long? after, double? waitSeconds, HostEventLog log, HttpContext http)
    {
        if (waitSeconds is < 0 or > 60)
        {
            return Problems.BadRequest("waitSeconds must be between 0 and 60.");
        }

        var (events, last) = await log.WaitAsync(hostId, after ?? 0, TimeSpan.FromSeconds(waitSeconds ?? 0), http.RequestAborted);
        return Results.Ok(new HostEventsReply(events, last));
    }

    /// <summary>Whether this host reaches the other over the network: <c>address</c> may be given once per agent address of the other host.</summary>
    private static Task<IResult> PingNeighbour(string hostId, string otherHostId, string[]? address, IHypervisorDriver driver, HttpContext http)
    {
        var otherAddresses = new List<Uri>();
        foreach (var given in address ?? [])
        {
            if (!Uri.TryCreate(given, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                return Task.FromResult(Problems.BadRequest($"address must be the other host's agent URL (http or https), not '{given}'."));
            }

            otherAddresses.Add(parsed);
        }

        return driver.PingNeighbourAsync(hostId, otherHostId, otherAddresses, http.RequestAborted)
            .ToResultAsync(hostId, http, reachable => Results.Ok(new NeighbourPingReply(reachable)));
    }

    private static Task<IResult> ReadNeighbourHeartbeat(string hostId, string otherHostId, IHypervisorDriver driver, HttpContext http)
    {
        if (!HostIdRules.IsValid(otherHostId))
        {
            return Task.FromResult(Problems.BadRequest(HostIdRules.Describe(otherHostId)));
        }

        return driver.ReadNeighbourHeartbeatAsync(hostId, otherHostId, http.RequestAborted).ToResultAsync(hostId, http, heartbeat => heartbeat is null
            ? Problems.NotFound("No heartbeat", $"No heartbeat of host '{otherHostId}' has ever been written to shared storage.")
            : Results.Ok(NeighbourHeartbeatReply.From(heartbeat)));
    }

    private static IResult Stopped(StopVmResult result) => Results.Ok(new VmStoppedReply(result.VmId, VmPowerState.Stopped));
}
