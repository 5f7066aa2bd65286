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
            return Results.Ok(new
            {
                service = identity.ServiceName, instanceId = identity.InstanceId, epoch = snapshot.Epoch,
                members = snapshot.Ring.Members, handled = stats.Handled, forwarded = stats.Forwarded,
            });
        }).ForViewers();
        return endpoints;
    }
}
