using CloudBus.ServiceDefaults.Http;
using CloudBus.ServiceDefaults.Security;
using CloudBus.NodeRegistry.Membership;
using CloudBus.NodeRegistry.Persistence;
using CloudBus.Ring;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.OpenApi;

namespace CloudBus.NodeRegistry.Api;

/// <summary>The operator's view of rings: members and epoch per service, the owner of a resource, the leader.</summary>
public static class RingEndpoints
{
    public static void MapRingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/rings", async (int? limit, int? offset, HttpRequest request, RingStore rings, CancellationToken ct) =>
            Paging.List(request, limit, offset, await rings.ListAsync(ct))).ForViewers()
            .AnswersPage<StoredRing>("Each service's ring: its members and epoch.");
        app.MapGet("/rings/{service}", async (string service, RingStore rings, CancellationToken ct) =>
            await rings.GetAsync(service, ct) is { } ring ? Results.Ok(ring) : UnknownService(service)).ForViewers()
            .Answers<StoredRing>("The service's ring: its members and epoch.").AnswersUnknownService();
        app.MapGet("/rings/{service}/owner/{resourceId}", async (string service, string resourceId, RingStore rings, CancellationToken ct) =>
        {
            if (await rings.GetAsync(service, ct) is not { } ring) return UnknownService(service);
            var owner = new HashRing(ring.Members, ring.VirtualNodesPerMember).OwnerOf(resourceId);
            return Results.Ok(new RingOwner(service, resourceId, owner, ring.Epoch));
        }).ForViewers().Answers<RingOwner>("The instance that owns the resource on the service's ring now (null while the ring is empty).")
            .AnswersUnknownService();
        app.MapGet("/registry", async (ServiceIdentity identity, MembershipEvaluator evaluator, RingStore rings, CancellationToken ct) =>
        {
            var leader = await rings.LeaderAsync(ct);
            return Results.Ok(new RegistryView(identity.InstanceId, evaluator.IsLeader, leader?.InstanceId, leader?.Since, leader?.RenewedAt));
        }).ForViewers().Answers<RegistryView>("This registry instance, and which instance leads the membership rounds.");
    }

    private static RouteHandlerBuilder AnswersUnknownService(this RouteHandlerBuilder route) =>
        route.AnswersProblem(StatusCodes.Status404NotFound, "No instance of the service has ever registered, so it has no ring.");

    private static IResult UnknownService(string service) =>
        Results.Problem($"No ring for service {service}: no instance of it has ever registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown service");
}
