using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Security;
using CloudBus.Ring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudBus.ServiceDefaults.Routing;

public static class RoutingEndpoints
{
    /// <summary><c>GET /routing</c>: this instance's view of its ring and what it handled or forwarded.</summary>
    public static IEndpointRouteBuilder MapRoutingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/routing", (ServiceIdentity identity, RingHolder ring, RoutingStats stats) =>
        {
            var snapshot = ring.Current;
            return Results.Ok(new RoutingReport(identity.ServiceName, identity.InstanceId, snapshot.Epoch,
                snapshot.Ring.Members, stats.Handled, stats.Forwarded));
        }).ForViewers().Answers<RoutingReport>("This instance's ring and how many routed messages it handled and forwarded.");
        return endpoints;
    }
}
