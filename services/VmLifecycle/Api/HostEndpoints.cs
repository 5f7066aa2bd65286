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
        hosts.MapPost("/{hostId}/maintenance", SetMaintenanceAsync);
    }

    /// <summary>
    /// Announces maintenance; HostMonitor stops pinging the host and reports it Maintenance, which
    /// keeps placement away from it (and Connecting, then Connected, when it comes back).
    /// </summary>
    private static async Task<IResult> SetMaintenanceAsync(
        string hostId, MaintenanceRequest request, HostStore store, IPublishEndpoint publish, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetAsync(hostId, ct) is null)
            return Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host");
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? (request.Enabled ? "maintenance by operator" : "back in service") : request.Reason;
        await publish.Publish(new HostMaintenanceChanged { HostId = hostId, InMaintenance = request.Enabled, Reason = reason, ChangedAt = clock.GetUtcNow() }, ct);
        return Results.Accepted(value: new { hostId, inMaintenance = request.Enabled, reason });
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
            CpuCores = request.CpuCores, MemoryMib = request.MemoryMib, StorageGib = request.StorageGib, Tags = request.Tags ?? [],
            Status = HostStatus.Connecting, RegisteredAt = clock.GetUtcNow(), BmcAddress = request.BmcAddress,
        };
        if (!await store.TryAddAsync(host, ct))
            return Results.Problem($"Host {host.HostId} is already registered.", statusCode: StatusCodes.Status409Conflict, title: "Host exists");

        await publish.Publish(host.ToRegistration(), ct);
        return Results.Created($"/hosts/{host.HostId}", HostView.From(host));
    }
}
