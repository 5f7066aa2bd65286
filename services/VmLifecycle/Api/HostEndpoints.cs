using CloudBus.AgentClient;
using System.Security.Claims;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Http;
using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Security;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.VmLifecycle.Api;

/// <summary>Hosts: registration and the capacity view placement works from.</summary>
public static class HostEndpoints
{
    public static void MapHostEndpoints(this IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/hosts");
        hosts.MapPost("/", RegisterAsync).ForAdmins()
            .Answers<HostView>(StatusCodes.Status201Created, "The host as registered (Connecting until HostMonitor reaches its agent).")
            .AnswersValidationProblem()
            .AnswersProblem(StatusCodes.Status409Conflict, "A host with this id is registered already.");
        hosts.MapGet("/", async (int? limit, int? offset, HttpRequest request, HostStore store, CancellationToken ct) =>
            Paging.List(request, limit, offset, (await store.ListAsync(ct)).Select(HostView.From))).ForViewers()
            .AnswersPage<HostView>("Every registered host with its capacity and state.");
        hosts.MapGet("/{hostId}", async (string hostId, HostStore store, CancellationToken ct) =>
            await store.GetAsync(hostId, ct) is { } host
                ? Results.Ok(HostView.From(host))
                : Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host")).ForViewers()
            .Answers<HostView>("The host with its capacity and state.").AnswersUnknownHost();
        hosts.MapPost("/{hostId}/maintenance", SetMaintenanceAsync).ForOperators()
            .Answers<MaintenanceChange>(StatusCodes.Status202Accepted, "Stored and announced; HostMonitor and HA follow it (changed is false when the host was so already).")
            .AnswersValidationProblem().AnswersUnknownHost();
        hosts.MapPut("/{hostId}/bmc", ChangeBmcAsync).ForAdmins()
            .Answers<HostBmcChanged>("The change as stored and announced; HA binds the new BMC's identity on it.")
            .AnswersValidationProblem().AnswersUnknownHost();
    }

    /// <summary>
    /// An admin points a host at another BMC (or at the same address after its board was replaced).
    /// Stored with its announcement, on which HA binds the new BMC's identity and, for a while,
    /// fences the host through it only with an operator's approval.
    /// </summary>
    private static async Task<IResult> ChangeBmcAsync(
        string hostId, ChangeBmcRequest request, ClaimsPrincipal user, UnitsOfWork units, TimeProvider clock, CancellationToken ct)
    {
        var validation = request.Validate();
        if (!validation.IsValid) return ApiResults.Invalid(validation.Errors);
        var alternates = request.AlternateBmcAddresses ?? [];

        await using var work = await units.BeginAsync(ct);
        if (!await HostStore.SetBmcAsync(work, hostId, request.BmcAddress, alternates))
            return Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host");
        var changed = new HostBmcChanged
        {
            HostId = hostId, BmcAddress = request.BmcAddress, AlternateBmcAddresses = alternates,
            ChangedBy = user.Identity?.Name ?? "admin", ChangedAt = clock.GetUtcNow(),
        };
        await work.PublishAsync(changed);
        await work.CommitAsync(ct);
        return Results.Ok(changed);
    }

    /// <summary>
    /// Takes a host out of service or puts it back. VmLifecycle owns this decision: placement
    /// follows it from the moment it commits, together with its announcement, on which HostMonitor
    /// stops (or resumes) pinging the host and shows it Maintenance (or Connecting, then Connected).
    /// </summary>
    private static async Task<IResult> SetMaintenanceAsync(
        string hostId, MaintenanceRequest request, UnitsOfWork units, HostStore store, TimeProvider clock, CancellationToken ct)
    {
        var validation = request.Validate();
        if (!validation.IsValid) return ApiResults.Invalid(validation.Errors);
        if (await store.GetAsync(hostId, ct) is null)
            return Results.Problem($"Host {hostId} is not registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host");
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? (request.Enabled ? "maintenance by operator" : "back in service") : request.Reason;

        await using var work = await units.BeginAsync(ct);
        var changed = await HostStore.SetMaintenanceAsync(work, hostId, request.Enabled, reason);
        if (changed)
            await work.PublishAsync(new HostMaintenanceChanged { HostId = hostId, InMaintenance = request.Enabled, Reason = reason, ChangedAt = clock.GetUtcNow() });
        await work.CommitAsync(ct);
        return Results.Accepted(value: new MaintenanceChange(hostId, request.Enabled, reason, changed));
    }

    /// <summary>Stores the host and its announcement together, so HostMonitor and HA hear of every registered host.</summary>
    private static async Task<IResult> RegisterAsync(
        RegisterHostRequest request, UnitsOfWork units, AgentNetworks networks, AgentIdentities identities, TimeProvider clock, CancellationToken ct)
    {
        var validation = request.Validate();
        if (!validation.IsValid) return ApiResults.Invalid(validation.Errors);
        // An address this control plane would never call (plain http where mutual TLS is on) is refused now, not at every ping.
        if (request.AgentUris.Select(identities.RefusedAddress).FirstOrDefault(refused => refused is not null) is { } refusedAddress)
            return ApiResults.Invalid(new RequestValidation().Check("agentAddress", refusedAddress).Errors);
        if (await networks.CheckAsync(request.AgentUris, ct) is { } outside)
            return ApiResults.Invalid(new RequestValidation().Check("agentAddress", outside).Errors);

        var host = new HostRecord
        {
            HostId = request.HostId!, AgentAddress = new Uri(request.AgentAddress!), Cluster = request.Cluster!,
            CpuCores = request.CpuCores, MemoryMib = request.MemoryMib, StorageGib = request.StorageGib, Tags = request.Tags ?? [],
            Status = HostStatus.Connecting, RegisteredAt = clock.GetUtcNow(), BmcAddress = request.BmcAddress,
            AlternateAgentAddresses = [.. (request.AlternateAgentAddresses ?? []).Select(a => new Uri(a))],
            AlternateBmcAddresses = request.AlternateBmcAddresses ?? [],
        };
        await using var work = await units.BeginAsync(ct);
        if (!await HostStore.TryAddAsync(work, host))
            return Results.Problem($"Host {host.HostId} is already registered.", statusCode: StatusCodes.Status409Conflict, title: "Host exists");
        await work.PublishAsync(host.ToRegistration());
        await work.CommitAsync(ct);
        return Results.Created($"/hosts/{host.HostId}", HostView.From(host));
    }
}
