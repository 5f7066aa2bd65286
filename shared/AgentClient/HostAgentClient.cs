using System.Net.Http.Json;

namespace CloudBus.AgentClient;

/// <summary>
/// Calls one host agent's API for a given host. Every call has the caller's timeout (through the
/// cancellation token or the HttpClient's own), and every failure surfaces as
/// <see cref="AgentUnavailableException"/> so callers handle one exception type.
/// </summary>
public sealed class HostAgentClient(HttpClient http)
{
    public Task<AgentPing> PingAsync(Uri agent, string hostId, CancellationToken cancellationToken) =>
        SendAsync<AgentPing>(hostId, () => http.GetAsync(HostUri(agent, hostId, "ping"), cancellationToken), cancellationToken);

    public Task<AgentVmReport> ListVmsAsync(Uri agent, string hostId, CancellationToken cancellationToken) =>
        SendAsync<AgentVmReport>(hostId, () => http.GetAsync(HostUri(agent, hostId, "vms"), cancellationToken), cancellationToken);

    public Task<AgentVmResult> StartVmAsync(Uri agent, string hostId, string vmId, AgentStartVm request, CancellationToken cancellationToken) =>
        SendAsync<AgentVmResult>(hostId, () => http.PostAsJsonAsync(HostUri(agent, hostId, $"vms/{vmId}/start"), request, cancellationToken), cancellationToken);

    public Task<AgentVmResult> StopVmAsync(Uri agent, string hostId, string vmId, bool force, CancellationToken cancellationToken) =>
        SendAsync<AgentVmResult>(hostId, () => http.PostAsJsonAsync(HostUri(agent, hostId, $"vms/{vmId}/stop"), new AgentStopVm(force), cancellationToken), cancellationToken);

    public Task<AgentVmResult> DestroyVmAsync(Uri agent, string hostId, string vmId, CancellationToken cancellationToken) =>
        SendAsync<AgentVmResult>(hostId, () => http.PostAsync(HostUri(agent, hostId, $"vms/{vmId}/destroy"), null, cancellationToken), cancellationToken);

    /// <summary>Asks <paramref name="neighbourId"/> to read <paramref name="suspectId"/>'s heartbeat on their shared storage.</summary>
    public Task<AgentHeartbeat> ReadNeighbourHeartbeatAsync(Uri agent, string neighbourId, string suspectId, CancellationToken cancellationToken) =>
        SendAsync<AgentHeartbeat>(neighbourId, () => http.GetAsync(HostUri(agent, neighbourId, $"storage/heartbeats/{Uri.EscapeDataString(suspectId)}"), cancellationToken), cancellationToken);

    /// <summary>
    /// Asks <paramref name="neighbourId"/> whether it can reach <paramref name="suspectId"/> itself, over
    /// the hosts' own network to the suspect's agent at <paramref name="suspectAddress"/>.
    /// </summary>
    public Task<AgentNeighbourPing> PingFromNeighbourAsync(Uri agent, string neighbourId, string suspectId, Uri suspectAddress, CancellationToken cancellationToken) =>
        SendAsync<AgentNeighbourPing>(neighbourId, () => http.GetAsync(HostUri(agent, neighbourId,
            $"neighbours/{Uri.EscapeDataString(suspectId)}/ping?address={Uri.EscapeDataString(suspectAddress.ToString())}"), cancellationToken), cancellationToken);

    /// <summary>The host's VM events after <paramref name="after"/>; the agent holds the request up to <paramref name="wait"/> for one.</summary>
    public Task<AgentEvents> WaitForEventsAsync(Uri agent, string hostId, long after, TimeSpan wait, CancellationToken cancellationToken) =>
        SendAsync<AgentEvents>(hostId, () => http.GetAsync(HostUri(agent, hostId,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"events?after={after}&waitSeconds={wait.TotalSeconds}")), cancellationToken), cancellationToken);

    private static Uri HostUri(Uri agent, string hostId, string path) =>
        new(agent, $"hosts/{Uri.EscapeDataString(hostId)}/{path}");

    private static async Task<T> SendAsync<T>(string hostId, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            throw new AgentUnavailableException(hostId, "no answer: " + exception.Message, isRefusal: false, exception);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var refusal = (int)response.StatusCode is >= 400 and < 500;
                throw new AgentUnavailableException(hostId, $"{(int)response.StatusCode} {body}", refusal);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                       ?? throw new AgentUnavailableException(hostId, "empty answer", isRefusal: false);
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or HttpRequestException or OperationCanceledException)
            {
                throw new AgentUnavailableException(hostId, "unreadable answer: " + exception.Message, isRefusal: false, exception);
            }
        }
    }
}
