using System.Net.Http.Json;

namespace CloudBus.AgentClient;

/// <summary>
/// Calls one host agent's API for a given host. A host may have several agent addresses (one per
/// management network): a call tries the one that answered last, then the next whenever one
/// refuses the connection or does not accept it within the connect timeout, and fails only when
/// every address failed. Every call has the caller's timeout (through the cancellation token), and
/// every failure surfaces as <see cref="AgentUnavailableException"/> so callers handle one type;
/// an answer with a number out of range (<see cref="AgentAnswerRanges"/>) is such a failure.
/// </summary>
public sealed class HostAgentClient(HttpClient http, PreferredAgentAddresses? preferred = null, AgentIdentities? identities = null)
{
    private readonly PreferredAgentAddresses _preferred = preferred ?? new PreferredAgentAddresses();
    // Built without the service's settings (tests that call a simulated agent directly): plain http, no TLS.
    private readonly AgentIdentities _identities = identities ?? new AgentIdentities(null, allowPlainHttp: true, TimeProvider.System);

    public Task<AgentPing> PingAsync(IReadOnlyList<Uri> agent, string hostId, CancellationToken cancellationToken) =>
        SendAsync<AgentPing>(hostId, agent, (a, token) => http.GetAsync(HostUri(a, hostId, "ping"), token), cancellationToken);

    public Task<AgentVmReport> ListVmsAsync(IReadOnlyList<Uri> agent, string hostId, CancellationToken cancellationToken) =>
        SendAsync<AgentVmReport>(hostId, agent, (a, token) => http.GetAsync(HostUri(a, hostId, "vms"), token), cancellationToken);

    public Task<AgentVmResult> StartVmAsync(IReadOnlyList<Uri> agent, string hostId, string vmId, AgentStartVm request, CancellationToken cancellationToken) =>
        SendAsync<AgentVmResult>(hostId, agent, (a, token) => http.PostAsJsonAsync(HostUri(a, hostId, $"vms/{vmId}/start"), request, token), cancellationToken);

    public Task<AgentVmResult> StopVmAsync(IReadOnlyList<Uri> agent, string hostId, string vmId, bool force, CancellationToken cancellationToken) =>
        SendAsync<AgentVmResult>(hostId, agent, (a, token) => http.PostAsJsonAsync(HostUri(a, hostId, $"vms/{vmId}/stop"), new AgentStopVm(force), token), cancellationToken);

    public Task<AgentVmResult> DestroyVmAsync(IReadOnlyList<Uri> agent, string hostId, string vmId, CancellationToken cancellationToken) =>
        SendAsync<AgentVmResult>(hostId, agent, (a, token) => http.PostAsync(HostUri(a, hostId, $"vms/{vmId}/destroy"), null, token), cancellationToken);

    /// <summary>Asks <paramref name="neighbourId"/> to read <paramref name="suspectId"/>'s heartbeat on their shared storage.</summary>
    public Task<AgentHeartbeat> ReadNeighbourHeartbeatAsync(IReadOnlyList<Uri> agent, string neighbourId, string suspectId, CancellationToken cancellationToken) =>
        SendAsync<AgentHeartbeat>(neighbourId, agent, (a, token) => http.GetAsync(HostUri(a, neighbourId, $"storage/heartbeats/{Uri.EscapeDataString(suspectId)}"), token), cancellationToken);

    /// <summary>
    /// Asks <paramref name="neighbourId"/> whether it can reach <paramref name="suspectId"/> itself, over
    /// the hosts' own networks to any of the suspect's agent addresses.
    /// </summary>
    public Task<AgentNeighbourPing> PingFromNeighbourAsync(IReadOnlyList<Uri> agent, string neighbourId, string suspectId, IReadOnlyList<Uri> suspectAddresses, CancellationToken cancellationToken)
    {
        var query = string.Join('&', suspectAddresses.Select(address => "address=" + Uri.EscapeDataString(address.ToString())));
        return SendAsync<AgentNeighbourPing>(neighbourId, agent, (a, token) => http.GetAsync(HostUri(a, neighbourId,
            $"neighbours/{Uri.EscapeDataString(suspectId)}/ping?{query}"), token), cancellationToken);
    }

    /// <summary>The host's VM events after <paramref name="after"/>; the agent holds the request up to <paramref name="wait"/> for one.</summary>
    public Task<AgentEvents> WaitForEventsAsync(IReadOnlyList<Uri> agent, string hostId, long after, TimeSpan wait, CancellationToken cancellationToken) =>
        SendAsync<AgentEvents>(hostId, agent, (a, token) => http.GetAsync(HostUri(a, hostId,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"events?after={after}&waitSeconds={wait.TotalSeconds}")), token), cancellationToken);

    private static Uri HostUri(Uri agent, string hostId, string path) =>
        new(agent, $"hosts/{Uri.EscapeDataString(hostId)}/{path}");

    private async Task<T> SendAsync<T>(
        string hostId, IReadOnlyList<Uri> addresses, Func<Uri, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0) throw new AgentUnavailableException(hostId, "no agent address registered", isRefusal: false);
        var failures = new List<string>();
        Exception? lastFailure = null;
        foreach (var address in _preferred.InTryOrder(hostId, addresses))
        {
            if (_identities.RefusedAddress(address) is { } refusedAddress)
            {
                failures.Add(refusedAddress);
                continue;
            }
            HttpResponseMessage response;
            try
            {
                response = await send(address, cancellationToken);
            }
            // A refused connection, one not accepted within the connect timeout (an
            // OperationCanceledException the caller did not ask for), or a dropped one: this
            // network path failed, the next address may still reach the host.
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                lastFailure = exception;
                // A handshake refused here says which certificate was wrong, not only that TLS failed.
                var reason = exception.InnerException is System.Security.Authentication.AuthenticationException
                    ? _identities.RefusedHandshake(hostId) ?? exception.Message
                    : exception.Message;
                failures.Add(addresses.Count == 1 ? reason : $"{address} {reason}");
                if (cancellationToken.IsCancellationRequested) break;
                continue;
            }

            // Any HTTP answer, even an error, is the host speaking: another address would reach the same agent.
            _preferred.Answered(hostId, address);
            return await ReadAsync<T>(hostId, response, cancellationToken);
        }
        throw new AgentUnavailableException(hostId, "no answer: " + string.Join("; ", failures), isRefusal: false, lastFailure);
    }

    private static async Task<T> ReadAsync<T>(string hostId, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var refusal = (int)response.StatusCode is >= 400 and < 500;
                throw new AgentUnavailableException(hostId, await AgentErrorText.DescribeAsync(response), refusal);
            }

            T answer;
            try
            {
                answer = await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                         ?? throw new AgentUnavailableException(hostId, "empty answer", isRefusal: false);
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or HttpRequestException or OperationCanceledException)
            {
                throw new AgentUnavailableException(hostId, "unreadable answer: " + exception.Message, isRefusal: false, exception);
            }

            // A number no working agent sends makes the whole answer no answer: what else it says is
            // no more to be trusted, and no caller may take it as a sign of life or of death.
            return AgentAnswerRanges.Violation(answer) is { } violation
                ? throw new AgentUnavailableException(hostId, "answer out of range, taken as no answer: " + violation, isRefusal: false)
                : answer;
        }
    }
}
