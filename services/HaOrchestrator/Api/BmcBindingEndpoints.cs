using CloudBus.HaOrchestrator.Hosts;
using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Api;

/// <summary>
/// How HA will fence a host through its BMC: the addresses, the identity the BMC is bound to (null
/// until it first answered), its last change, and until when that change holds fencing for an operator.
/// </summary>
public sealed record BmcBindingView(
    string HostId, IReadOnlyList<string> BmcAddresses, string? SystemGuid, DateTimeOffset? ChangedAt, string? ChangedBy, DateTimeOffset? FencingNeedsApprovalUntil);

public static class BmcBindingEndpoints
{
    public static void MapBmcBindingEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/hosts/{hostId}/bmc", async (string hostId, HostDirectory hosts, IOptions<HaOptions> options, TimeProvider clock, CancellationToken ct) =>
        {
            if (await hosts.FindAsync(hostId, ct) is not { } host)
                return Results.Problem($"Host {hostId} is not known to HA (not registered, or its registration not heard yet).",
                    statusCode: StatusCodes.Status404NotFound, title: "Unknown host");
            return Results.Ok(new BmcBindingView(host.HostId, host.BmcAddresses, host.BmcGuid, host.BmcChangedAt, host.BmcChangedBy,
                host.FencingNeedsApprovalUntil(options.Value.BmcChangeNeedsApprovalFor, clock.GetUtcNow())));
        }).ForViewers()
            .Answers<BmcBindingView>("How HA will fence the host through its BMC.")
            .AnswersProblem(StatusCodes.Status404NotFound, "HA does not know the host: not registered, or its registration not heard yet.");
}
