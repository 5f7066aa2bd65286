using CloudBus.ServiceDefaults.Http;
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
        }).ForViewers();
        app.MapGet("/hosts/{hostId}/history", async (string hostId, int? limit, int? offset, HttpRequest request, HostStatusStore store, CancellationToken ct) =>
            Paging.List(request, limit, offset, await store.HistoryAsync(hostId, ct))).ForViewers();
        // VMs running where the control plane does not expect them: reported, never adopted or killed.
        // A map (host -> its stranger VMs), not a list: bounded by the hosts this instance watches, not paged.
        app.MapGet("/strangers", (VmSyncLoop sync) => Results.Ok(sync.Strangers)).ForViewers();
        app.MapGet("/stats", (MonitorStats stats) => Results.Ok(new { lastPingRound = stats.LastPingRound, lastSyncRound = stats.LastSyncRound })).ForViewers();
        app.MapGet("/hosts/{hostId}", (string hostId, MonitoredHosts hosts) =>
            hosts.Find(hostId) is { } host
                ? Results.Ok(host.Snapshot())
                : Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host")).ForViewers();
        app.MapPost("/hosts/{hostId}/check", async (string hostId, MonitoredHosts hosts, RingRouter router, TimeProvider clock, CancellationToken ct) =>
        {
            if (hosts.Find(hostId) is null)
                return Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host");
            try
            {
                var (owner, epoch) = await router.SendAsync(hostId,
                    epoch => new CheckHostNow { HostId = hostId, RingEpoch = epoch, RequestedAt = clock.GetUtcNow() }, ct);
                return Results.Accepted(value: new { hostId, routedTo = owner, epoch });
            }
            catch (NoRingOwnerException noOwner)
            {
                return Results.Problem(noOwner.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "No owner yet");
            }
        }).ForOperators();
    }
}
