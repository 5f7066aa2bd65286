using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using CloudBus.Cli.Stack;
using CloudBus.HaOrchestrator.Api;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.NodeRegistry.Api;
using CloudBus.NodeRegistry.Persistence;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.Cli.Api;

/// <summary>
/// The services' HTTP APIs, typed with the records the services answer with (their own view
/// types, so a renamed field breaks the build, not a script). Lists are read page by page through
/// their <c>Link: rel="next"</c> headers. Failures become <see cref="CliException"/>s that say
/// which service, where, and what it answered.
/// </summary>
internal sealed class ControlPlaneClient(HttpClient http, StackConnection stack)
{
    /// <summary>How the services write JSON: camelCase, enums as names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Where the stack is and how it was found.</summary>
    public StackConnection Stack => stack;

    public Task<IReadOnlyList<HostView>> HostsAsync(CancellationToken ct) => ListAsync<HostView>("vm-lifecycle", "hosts", ct);

    public Task<IReadOnlyList<VmView>> VmsAsync(CancellationToken ct) => ListAsync<VmView>("vm-lifecycle", "vms", ct);

    public Task<VmView> VmAsync(Guid vmId, CancellationToken ct) => GetAsync<VmView>("vm-lifecycle", $"vms/{vmId}", ct);

    public Task<IReadOnlyList<Incident>> IncidentsAsync(string? hostId, CancellationToken ct) =>
        ListAsync<Incident>("ha-orchestrator", hostId is null ? "incidents" : $"incidents?hostId={Uri.EscapeDataString(hostId)}", ct);

    /// <summary>The host's <paramref name="count"/> most recently suspected incidents (one page: incidents are listed newest first).</summary>
    public async Task<IReadOnlyList<Incident>> LatestIncidentsAsync(string hostId, int count, CancellationToken ct) =>
        await GetAsync<List<Incident>>("ha-orchestrator", $"incidents?hostId={Uri.EscapeDataString(hostId)}&limit={count}", ct);

    public Task<Incident> IncidentAsync(Guid incidentId, CancellationToken ct) => GetAsync<Incident>("ha-orchestrator", $"incidents/{incidentId}", ct);

    /// <summary>Approves the fence of an incident held for an operator (the brake, or a changed BMC).</summary>
    public Task<FencingApproval> ApproveFencingAsync(Guid incidentId, ApproveFencingRequest request, CancellationToken ct) =>
        SendAsync<FencingApproval>(HttpMethod.Post, "ha-orchestrator", $"incidents/{incidentId}/approve-fencing", request, ct);

    public Task<IReadOnlyList<RestartView>> RestartsAsync(CancellationToken ct) => ListAsync<RestartView>("ha-orchestrator", "restarts", ct);

    public Task<IReadOnlyList<StoredRing>> RingsAsync(CancellationToken ct) => ListAsync<StoredRing>("node-registry", "rings", ct);

    public Task<StoredRing> RingAsync(string service, CancellationToken ct) =>
        GetAsync<StoredRing>("node-registry", $"rings/{Uri.EscapeDataString(service)}", ct);

    /// <summary>Which instance of <paramref name="service"/> the ring gives <paramref name="resourceId"/> (a host id for host-monitor).</summary>
    public Task<RingOwner> RingOwnerAsync(string service, string resourceId, CancellationToken ct) =>
        GetAsync<RingOwner>("node-registry", $"rings/{Uri.EscapeDataString(service)}/owner/{Uri.EscapeDataString(resourceId)}", ct);

    public Task<HostView> HostAsync(string hostId, CancellationToken ct) => GetAsync<HostView>("vm-lifecycle", $"hosts/{Uri.EscapeDataString(hostId)}", ct);

    public Task<HostView> RegisterHostAsync(RegisterHostRequest request, CancellationToken ct) =>
        SendAsync<HostView>(HttpMethod.Post, "vm-lifecycle", "hosts", request, ct);

    /// <summary>Puts a host into maintenance (no new VMs, HA leaves it alone) or takes it out; answers what changed.</summary>
    public Task<MaintenanceChange> SetMaintenanceAsync(string hostId, MaintenanceRequest request, CancellationToken ct) =>
        SendAsync<MaintenanceChange>(HttpMethod.Post, "vm-lifecycle", $"hosts/{Uri.EscapeDataString(hostId)}/maintenance", request, ct);

    public Task<VmView> CreateVmAsync(CreateVmRequest request, CancellationToken ct) => SendAsync<VmView>(HttpMethod.Post, "vm-lifecycle", "vms", request, ct);

    // One method per VM operation, typed with the body it sends: the API-description test checks each against VmLifecycle's document.
    public Task<VmView> StartVmAsync(Guid vmId, StartVmRequest request, CancellationToken ct) => VmOperationAsync(vmId, "start", request, ct);

    public Task<VmView> StopVmAsync(Guid vmId, StopVmRequest request, CancellationToken ct) => VmOperationAsync(vmId, "stop", request, ct);

    public Task<VmView> RebootVmAsync(Guid vmId, OperationRequest request, CancellationToken ct) => VmOperationAsync(vmId, "reboot", request, ct);

    public Task<VmView> MigrateVmAsync(Guid vmId, MigrateVmRequest request, CancellationToken ct) => VmOperationAsync(vmId, "migrate", request, ct);

    public Task<VmView> DestroyVmAsync(Guid vmId, OperationRequest request, CancellationToken ct) => VmOperationAsync(vmId, "destroy", request, ct);

    public Task<VmView> SetHaAsync(Guid vmId, SetHaRequest request, CancellationToken ct) =>
        SendAsync<VmView>(HttpMethod.Put, "vm-lifecycle", $"vms/{vmId}/ha", request, ct);

    /// <summary>A fault on a simulated host, through the simulated fleet's back door (<c>power-off</c>, <c>isolate</c>, <c>crash-vm/ID</c>, ...).</summary>
    public Task<FleetHostView> SimulateAsync(string hostId, string fault, CancellationToken ct) =>
        SendAsync<FleetHostView>(HttpMethod.Post, StackConnection.BackDoor, $"hosts/{Uri.EscapeDataString(hostId)}/faults/{fault}", new { }, ct);

    /// <summary>Every time the simulated fleet ran one VM on two hosts at once (never, if HA is right).</summary>
    public Task<IReadOnlyList<DoubleRun>> DoubleRunsAsync(CancellationToken ct) =>
        GetAsync<IReadOnlyList<DoubleRun>>(StackConnection.BackDoor, "audit/double-runs", ct);

    private Task<VmView> VmOperationAsync(Guid vmId, string operation, object request, CancellationToken ct) =>
        SendAsync<VmView>(HttpMethod.Post, "vm-lifecycle", $"vms/{vmId}/{operation}", request, ct);

    private Task<T> GetAsync<T>(string service, string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, service, path, null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string service, string path, object? body, CancellationToken ct)
    {
        using var response = await SendAsync(method, service, path, body, ct);
        return await ReadAsync<T>(service, response, ct);
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string service, string path, CancellationToken ct)
    {
        var items = new List<T>();
        for (string? page = path; page is not null;)
        {
            using var response = await SendAsync(HttpMethod.Get, service, page, null, ct);
            items.AddRange(await ReadAsync<List<T>>(service, response, ct));
            page = NextPage(response);
        }

        return items;
    }

    /// <summary>
    /// Sends to the service's first instance that answers: one that is down (refused, timed out)
    /// makes the next one asked, as any instance answers for its whole service. Only when none
    /// answers is the stack said to be unreachable.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string service, string path, object? body, CancellationToken ct)
    {
        var unanswered = new List<string>();
        foreach (var instance in stack.Of(service))
        {
            var address = new Uri(instance, path);
            using var request = new HttpRequestMessage(method, address);
            if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
            // The back door asks for no token (it answers on loopback only): the operator's token goes to the control plane alone.
            if (stack.Token is { } token && service != StackConnection.BackDoor)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                unanswered.Add($"{instance} ({exception.Message})");
                continue;
            }

            if (response.IsSuccessStatusCode) return response;
            using (response)
                throw await FailureAsync(service, address, response, ct);
        }

        throw new CliException(ExitCodes.NoStack,
            $"{service} does not answer at {string.Join(", ", unanswered)}; is the stack running? (./up.sh status)");
    }

    private static async Task<CliException> FailureAsync(string service, Uri address, HttpResponseMessage response, CancellationToken ct)
    {
        var problem = await ReadProblemAsync(response, ct);
        var what = problem is null ? $"{(int)response.StatusCode} {response.ReasonPhrase}" : $"{problem.Title}: {problem.Detail}";
        if (problem?.Errors is { Count: > 0 } errors)
            what += " (" + string.Join("; ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))) + ")";
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => new CliException(ExitCodes.NotFound, problem?.Detail ?? $"{service}: {address.AbsolutePath} not found"),
            HttpStatusCode.Conflict => new CliException(ExitCodes.Refused, $"{service} refused: {what}"),
            HttpStatusCode.BadRequest => new CliException(ExitCodes.Failed, $"{service} found the request invalid: {what}"),
            HttpStatusCode.Unauthorized => new CliException(ExitCodes.Denied,
                $"{service} wants a token ({what}): set CLOUDBUS_TOKEN, or --token-file FILE (`cloudbus token mint` makes one)"),
            HttpStatusCode.Forbidden => new CliException(ExitCodes.Denied, $"{service} refused: the token's role may not do this ({what})"),
            _ => new CliException(ExitCodes.Failed, $"{service} answered {(int)response.StatusCode} to {address.PathAndQuery}: {what}"),
        };
    }

    private static async Task<T> ReadAsync<T>(string service, HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, ct)
                   ?? throw new CliException(ExitCodes.Failed, $"{service} answered an empty body");
        }
        catch (JsonException exception)
        {
            throw new CliException(ExitCodes.Failed, $"{service} answered what this cloudbus cannot read ({exception.Message}): is it another version?");
        }
    }

    private static async Task<Problem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<Problem>(Json, ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The next page a list's <c>Link</c> header names, if any (RFC 8288, as the services write it), relative to the service.</summary>
    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            var end = link.IndexOf('>', StringComparison.Ordinal);
            if (link.StartsWith('<') && end > 0 && link.Contains("rel=\"next\"", StringComparison.Ordinal))
                return new Uri(response.RequestMessage!.RequestUri!, link[1..end]).PathAndQuery.TrimStart('/');
        }

        return null;
    }

    private sealed record Problem(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
