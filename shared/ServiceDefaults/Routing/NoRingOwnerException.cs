namespace CloudBus.ServiceDefaults.Routing;

/// <summary>No instance of a service is in its ring yet, so a resource has no owner to route to.</summary>
public sealed class NoRingOwnerException(string service, string resourceId)
    : Exception($"No instance of {service} is in the ring yet, so {resourceId} has no owner; try again shortly.");
