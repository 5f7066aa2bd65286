using CloudBus.Ring;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// What an instance does with a command for a resource: handle it, or forward it to the owner.
/// It forwards only when its own ring is at least as new as the one the command was routed with
/// and names another owner; a sender with a newer ring is trusted. Two instances with the same
/// epoch agree on the owner, so a command is never bounced back and forth.
/// </summary>
public static class RoutingDecision
{
    /// <returns>Null to handle here, or the instance id to forward to.</returns>
    public static string? ForwardTo(RingSnapshot ring, string self, string resourceId, long routedEpoch)
    {
        if (ring.Epoch < routedEpoch) return null;
        var owner = ring.OwnerOf(resourceId);
        return owner is null || owner == self ? null : owner;
    }
}
