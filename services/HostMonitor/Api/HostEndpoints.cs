using CloudBus.ServiceDefaults.Http;
using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Security;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Persistence;
using CloudBus.HostMonitor.Sync;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Routing;

namespace CloudBus.HostMonitor.Api;

/// <summary>Host states as this instance sees them, with the reason for each; checks routed to the owner.</summary>
public static class HostEndpoints
{
    public static void MapHostEndpoints(this IEndpointRouteBuilder app)
    {
        // The hosts this instance watches; ?all=true adds the hosts other instances watch (as last seen here).
        app.MapGet("/hosts", (bool? all, int? limit, int? offset, HttpRequest request, MonitoredHosts hosts, HostOwnership ownership) =>
        {
            var listed = all == true ? hosts.All : ownership.Owned().Hosts;
            return Paging.List(request, limit, offset, listed.Select(h => h.Snapshot()).OrderBy(h => h.HostId, StringComparer.Ordinal));
        }).ForViewers().AnswersPage<HostSnapshot>("Host states with the reason for each, by host id.");
        app.MapGet("/hosts/{hostId}/history", async (string hostId, int? limit, int? offset, HttpRequest request, HostStatusStore store, CancellationToken ct) =>
            Paging.List(request, limit, offset, await store.HistoryAsync(hostId, ct))).ForViewers()
            .AnswersPage<HostStatusChange>("The host's state changes, with who changed it and why (empty for a host never seen).");
        // VMs running where the control plane does not expect them: reported, never adopted or killed.
        // A map (host -> its stranger VMs), not a list: bounded by the hosts this instance watches, not paged.
        app.MapGet("/strangers", (VmSyncLoop sync) => Results.Ok(sync.Strangers)).ForViewers()
            .Answers<IReadOnlyDictionary<string, IReadOnlyList<string>>>("Host id -> the ids of the VMs running there that the control plane does not expect.");
        app.MapGet("/stats", (MonitorStats stats) => Results.Ok(new MonitorRounds(stats.LastPingRound, stats.LastSyncRound))).ForViewers()
            .Answers<MonitorRounds>("The last ping and sync rounds of this instance: hosts, VMs and how long each took.");
        app.MapGet("/hosts/{hostId}", (string hostId, MonitoredHosts hosts) =>
            hosts.Find(hostId) is { } host
                ? Results.Ok(host.Snapshot())
                : Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host")).ForViewers()
            .Answers<HostSnapshot>("The host's state as this instance sees it, with the reason.").AnswersUnknownHost();
        app.MapPost("/hosts/{hostId}/check", async (string hostId, MonitoredHosts hosts, RingRouter router, TimeProvider clock, CancellationToken ct) =>
        {
            if (hosts.Find(hostId) is null)
                return Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host");
            try
            {
                var (owner, epoch) = await router.SendAsync(hostId,
                    epoch => new CheckHostNow { HostId = hostId, RingEpoch = epoch, RequestedAt = clock.GetUtcNow() }, ct);
                return Results.Accepted(value: new HostCheckRouted(hostId, owner, epoch));
            }
            catch (NoRingOwnerException noOwner)
            {
                return Results.Problem(noOwner.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "No owner yet");
            }
        }).ForOperators()
            .Answers<HostCheckRouted>(StatusCodes.Status202Accepted, "The check went to the instance that owns the host on the ring.")
            .AnswersUnknownHost()
            .AnswersProblem(StatusCodes.Status503ServiceUnavailable, "No HostMonitor instance owns the host yet (the ring is empty or still forming); try again shortly.");
    }

    private static RouteHandlerBuilder AnswersUnknownHost(this RouteHandlerBuilder route) =>
        route.AnswersProblem(StatusCodes.Status404NotFound, "No host with this id is registered.");
}
