namespace CloudBus.AgentClient;

/// <summary>
/// The agent could not be reached, timed out, or refused the request. <see cref="IsRefusal"/> tells
/// "the host answered no" (a 4xx: for example not enough capacity) from "the host did not answer".
/// </summary>
public sealed class AgentUnavailableException(string hostId, string message, bool isRefusal, Exception? inner = null)
    : Exception($"Host {hostId}: {message}", inner)
{
    public string HostId { get; } = hostId;
    public bool IsRefusal { get; } = isRefusal;
}
