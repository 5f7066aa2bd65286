using CloudBus.HostMonitor.Monitoring;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Waiting on ring state across several instances of a service.</summary>
public static class RingAssertions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Waits until every given instance reports the same epoch with exactly these instances as members.</summary>
    public static async Task<IReadOnlyList<RoutingView>> ConvergedAsync(ControlPlaneStack stack, IReadOnlyList<ServiceProcess> instances)
    {
        return await Eventually.ReturnsAsync(
            async () => (IReadOnlyList<RoutingView>)await Task.WhenAll(instances.Select(i => stack.GetAsync<RoutingView>(i, "routing"))),
            views => views.Select(v => v.Epoch).Distinct().Count() == 1
                     && views.All(v => v.Members.Order().SequenceEqual(views.Select(x => x.InstanceId).Order())),
            Timeout, $"{instances.Count} instances to agree on one ring of {instances.Count} members");
    }

    /// <summary>The hosts each instance watches right now, by instance.</summary>
    public static async Task<Dictionary<ServiceProcess, IReadOnlyList<HostSnapshot>>> OwnedHostsAsync(ControlPlaneStack stack, IEnumerable<ServiceProcess> instances)
    {
        var owned = new Dictionary<ServiceProcess, IReadOnlyList<HostSnapshot>>();
        foreach (var instance in instances) owned[instance] = await stack.GetAsync<IReadOnlyList<HostSnapshot>>(instance, "hosts");
        return owned;
    }
}
