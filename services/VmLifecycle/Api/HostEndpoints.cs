using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using MassTransit;

namespace CloudBus.VmLifecycle.Api;

/// <summary>Hosts: registration and the capacity view placement works from.</summary>
public static class HostEndpoints
{
    public static void MapHostEndpoints(this IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/hosts");
        hosts.MapPost("/", RegisterAsync);
        hosts.MapGet("/", async (HostStore store, CancellationToken ct) =>
            Results.Ok((await store.ListAsync(ct)).Select(HostView.From)));
        hosts.MapGet("/{hostId}", async (string hostId, HostStore store, CancellationToken ct) =>
            await store.GetAsync(hostId, ct) is { } host
                ? Results.Ok(HostView.From(host))
                : Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host"));
    }

    /// <summary>Stores the host, then announces it so HostMonitor starts watching it.</summary>
    private static async Task<IResult> RegisterAsync(
        RegisterHostRequest request, HostStore store, IPublishEndpoint publish, TimeProvider clock, CancellationToken ct)
    {
        var validation = request.Validate();
        if (!validation.IsValid) return ApiResults.Invalid(validation.Errors);

        var host = new HostRecord
        {
            HostId = request.HostId!, AgentAddress = new Uri(request.AgentAddress!), Cluster = request.Cluster!,
            CpuCores = request.CpuCores, MemoryMib = request.MemoryMib, Tags = request.Tags ?? [],
            Status = HostStatus.Connecting, RegisteredAt = clock.GetUtcNow(),
        };
        if (!await store.TryAddAsync(host, ct))
            return Results.Problem($"Host {host.HostId} is already registered.", statusCode: StatusCodes.Status409Conflict, title: "Host exists");

        await publish.Publish(new HostRegistered
        {
            HostId = host.HostId, AgentAddress = host.AgentAddress, Cluster = host.Cluster, CpuCores = host.CpuCores,
            MemoryMib = host.MemoryMib, Tags = host.Tags, RegisteredAt = host.RegisteredAt,
        }, ct);
        return Results.Created($"/hosts/{host.HostId}", HostView.From(host));
    }
}
