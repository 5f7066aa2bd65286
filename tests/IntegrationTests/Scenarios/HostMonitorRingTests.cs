using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Routing;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>Three HostMonitor instances share a fleet through the ring, and routed commands reach the owner.</summary>
public sealed class HostMonitorRingTests(ScaledControlPlaneStack stack) : IClassFixture<ScaledControlPlaneStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Three_instances_split_the_fleet_each_host_watched_by_exactly_the_owner_the_registry_names()
    {
        await RegisterFleetAsync();
        var views = await RingAssertions.ConvergedAsync(stack, stack.HostMonitors);

        var owned = await Eventually.ReturnsAsync(() => RingAssertions.OwnedHostsAsync(stack, stack.HostMonitors),
            byInstance => byInstance.Values.Sum(hosts => hosts.Count(h => h.Status == "Connected")) == stack.FleetHostIds.Count,
            Timeout, "every host to be watched and Connected");

        var watchers = owned.SelectMany(pair => pair.Value.Select(h => (h.HostId, Instance: InstanceId(pair.Key, views)))).ToList();
        Assert.Equal(stack.FleetHostIds.Order(), watchers.Select(w => w.HostId).Order()); // each host exactly once
        Assert.True(owned.Values.Count(hosts => hosts.Count > 0) >= 2, "the fleet should be split, not all on one instance");
        foreach (var (hostId, instance) in watchers)
        {
            var answer = await stack.GetAsync<OwnerAnswer>(stack.NodeRegistry, $"rings/host-monitor/owner/{hostId}");
            Assert.Equal((instance, views[0].Epoch), (answer.Owner, answer.Epoch)); // invariant 5: one owner per epoch everywhere
        }
    }

    [Fact]
    public async Task A_command_routed_with_a_stale_epoch_is_forwarded_to_the_owner_and_handled_exactly_once()
    {
        await RegisterFleetAsync();
        var views = await RingAssertions.ConvergedAsync(stack, stack.HostMonitors);
        const string hostId = "host-1";
        var ownerAnswer = await stack.GetAsync<OwnerAnswer>(stack.NodeRegistry, $"rings/host-monitor/owner/{hostId}");
        var owner = ownerAnswer.Owner;
        var notOwner = views.First(v => v.InstanceId != owner).InstanceId;

        await using var bus = await TestBus.StartAsync(stack.Environment);
        await bus.SendAsync(RoutedQueue.AddressFor(notOwner).ToString(), new CheckHostNow { HostId = hostId, RingEpoch = 0, RequestedAt = DateTimeOffset.UtcNow });

        var after = await Eventually.ReturnsAsync(() => Task.WhenAll(stack.HostMonitors.Select(i => stack.GetAsync<RoutingView>(i, "routing"))),
            now => now.Sum(v => v.Handled) - views.Sum(v => v.Handled) >= 1, Timeout, "the command to be handled");
        Assert.Equal(1, after.Sum(v => v.Handled) - views.Sum(v => v.Handled)); // exactly once, whatever happened to the ring
        if (ownerAnswer.Epoch != views[0].Epoch || after.Any(v => v.Epoch != views[0].Epoch))
        {
            // The ring changed mid-test (a loaded machine can miss a heartbeat): which instance
            // forwards and which handles is then the new ring's business; the command still ran once.
            var handler = after.Single(v => Delta(after, views, v.InstanceId, c => c.Handled) == 1).InstanceId;
            Assert.Equal((await stack.GetAsync<OwnerAnswer>(stack.NodeRegistry, $"rings/host-monitor/owner/{hostId}")).Owner, handler);
            return;
        }
        Assert.Equal(1, Delta(after, views, owner, v => v.Handled));
        Assert.Equal(1, Delta(after, views, notOwner, v => v.Forwarded));
        Assert.Equal(1, after.Sum(v => v.Forwarded) - views.Sum(v => v.Forwarded));
    }

    [Fact]
    public async Task A_check_asked_of_any_instance_is_routed_straight_to_the_owner()
    {
        await RegisterFleetAsync();
        var views = await RingAssertions.ConvergedAsync(stack, stack.HostMonitors);
        const string hostId = "host-7";
        var owner = (await stack.GetAsync<OwnerAnswer>(stack.NodeRegistry, $"rings/host-monitor/owner/{hostId}")).Owner;
        var asked = stack.HostMonitors.First(i => InstanceId(i, views) != owner);

        var accepted = await stack.PostAsync<CheckAccepted>(asked, $"hosts/{hostId}/check", new { });

        Assert.Equal(owner, accepted.RoutedTo);
        await Eventually.ReturnsAsync(() => stack.GetAsync<RoutingView>(stack.HostMonitors.First(i => InstanceId(i, views) == owner), "routing"),
            v => v.Handled > views.Single(x => x.InstanceId == owner).Handled, Timeout, "the owner to handle the check");
    }

    private async Task RegisterFleetAsync()
    {
        foreach (var host in stack.FleetHostIds) await stack.EnsureHostRegisteredAsync(host);
    }

    /// <summary>The instance id of a HostMonitor process (views come in the order of stack.HostMonitors).</summary>
    private string InstanceId(ServiceProcess instance, IReadOnlyList<RoutingView> views) =>
        views[stack.HostMonitors.ToList().IndexOf(instance)].InstanceId;

    private static long Delta(IReadOnlyList<RoutingView> after, IReadOnlyList<RoutingView> before, string instanceId, Func<RoutingView, long> counter) =>
        counter(after.Single(v => v.InstanceId == instanceId)) - counter(before.Single(v => v.InstanceId == instanceId));

    private sealed record OwnerAnswer(string Service, string ResourceId, string Owner, long Epoch);

    private sealed record CheckAccepted(string HostId, string RoutedTo, long Epoch);
}
