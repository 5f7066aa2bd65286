using System.Collections.Concurrent;

namespace CloudBus.AgentClient;

/// <summary>
/// Which of a host's agent addresses answered last (ZBS's <c>tryNext</c>): calls try that one first
/// and the others after it in their registered order, so a dead management network costs one
/// failed connect only until another address answers. Shared by every call of a service.
/// </summary>
public sealed class PreferredAgentAddresses
{
    private readonly ConcurrentDictionary<string, Uri> _answered = new(StringComparer.Ordinal);

    /// <summary><paramref name="addresses"/> with the one that answered last first; the rest keep their order.</summary>
    public IReadOnlyList<Uri> InTryOrder(string hostId, IReadOnlyList<Uri> addresses)
    {
        if (addresses.Count < 2 || !_answered.TryGetValue(hostId, out var preferred) || !addresses.Contains(preferred))
            return addresses;
        return [preferred, .. addresses.Where(a => a != preferred)];
    }

    public void Answered(string hostId, Uri address) => _answered[hostId] = address;

    /// <summary>The address calls to <paramref name="hostId"/> try first now (null before any answered).</summary>
    public Uri? Current(string hostId) => _answered.TryGetValue(hostId, out var address) ? address : null;
}
