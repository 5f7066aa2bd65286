using CloudBus.ServiceDefaults.Http;
using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Security;
using CloudBus.NodeRegistry.Persistence;

namespace CloudBus.NodeRegistry.Api;

/// <summary>The operator's view of membership.</summary>
public static class MemberEndpoints
{
    public static void MapMemberEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/members", async (int? limit, int? offset, HttpRequest request, MemberStore members, CancellationToken ct) =>
            Paging.List(request, limit, offset, await members.ListAsync(ct))).ForViewers()
            .AnswersPage<Member>("Every instance of every service that registered, with its last heartbeat.");
}
