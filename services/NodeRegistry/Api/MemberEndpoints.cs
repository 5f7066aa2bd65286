using CloudBus.ServiceDefaults.Security;
using CloudBus.NodeRegistry.Persistence;

namespace CloudBus.NodeRegistry.Api;

/// <summary>The operator's view of membership.</summary>
public static class MemberEndpoints
{
    public static void MapMemberEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/members", async (MemberStore members, CancellationToken ct) => Results.Ok(await members.ListAsync(ct))).ForViewers();
}
