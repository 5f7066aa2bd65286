namespace CloudBus.ServiceDefaults.Routing;

/// <summary>The queue of one instance for commands routed to it on its service's ring.</summary>
public static class RoutedQueue
{
    public static string NameFor(string instanceId) => $"{instanceId}-routed";

    public static Uri AddressFor(string instanceId) => new($"queue:{NameFor(instanceId)}");
}
