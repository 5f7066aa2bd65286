using System.Diagnostics;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Routing;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>A HostMonitor instance dies (killed, no clean stop): its hosts are watched again by the survivors.</summary>
public sealed class HostMonitorFailoverTests(ScaledControlPlaneStack stack, ITestOutputHelper output) : IClassFixture<ScaledControlPlaneStack>
{
    [Fact]
    public async Task Hosts_of_a_killed_instance_are_watched_again_within_two_heartbeats_and_a_ping_and_its_queued_commands_still_handled()
    {
        foreach (var host in stack.FleetHostIds) await stack.EnsureHostRegisteredAsync(host);
        await RingAssertions.ConvergedAsync(stack, stack.HostMonitors);
        var owned = await Eventually.ReturnsAsync(() => RingAssertions.OwnedHostsAsync(stack, stack.HostMonitors),
            byInstance => byInstance.Values.Sum(hosts => hosts.Count(h => h.Status == "Connected")) == stack.FleetHostIds.Count,
            TimeSpan.FromSeconds(30), "every host to be watched and Connected");
        var victim = owned.OrderByDescending(pair => pair.Value.Count).First().Key;
        var orphaned = owned[victim].Select(h => h.HostId).ToHashSet();
        Assert.NotEmpty(orphaned);
        var survivors = stack.HostMonitors.Where(i => i != victim).ToList();
        var victimId = (await stack.GetAsync<RoutingView>(victim, "routing")).InstanceId;
        var handledBefore = (await Task.WhenAll(survivors.Select(i => stack.GetAsync<RoutingView>(i, "routing")))).Sum(v => v.Handled);

        var killedAt = DateTimeOffset.UtcNow;
        var sinceKill = Stopwatch.StartNew();
        victim.Kill();

        // A sender whose ring is a moment old still routes to the dead instance.
        await using (var bus = await TestBus.StartAsync(stack.Environment))
            await bus.SendAsync(RoutedQueue.AddressFor(victimId).ToString(), new CheckHostNow { HostId = orphaned.First(), RingEpoch = 0, RequestedAt = DateTimeOffset.UtcNow });

        // The bound from the issue: about two heartbeat intervals (two missed rounds) plus one ping
        // interval. The deadline leaves room for a slow CI machine; the measured time is printed.
        var bound = ControlPlaneStack.HeartbeatInterval * 2 + ControlPlaneStack.PingInterval;
        var rewatched = await Eventually.ReturnsAsync(() => RingAssertions.OwnedHostsAsync(stack, survivors),
            byInstance => orphaned.All(id => byInstance.Values.Any(hosts => hosts.Any(h => h.HostId == id && h.LastGoodPingAt > killedAt))),
            bound * 4 + TimeSpan.FromSeconds(5), "the survivors to ping every host of the killed instance");
        output.WriteLine($"{orphaned.Count} hosts re-watched {sinceKill.Elapsed.TotalSeconds:0.00} s after the kill (bound about {bound.TotalSeconds:0.0} s)");

        // Every host is watched by exactly one survivor, and the hand-over raised no false alarm.
        var all = rewatched.Values.SelectMany(hosts => hosts).ToList();
        Assert.Equal(stack.FleetHostIds.Order(), all.Select(h => h.HostId).Order());
        Assert.DoesNotContain(all, h => h.Status == "Suspect");
        var converged = await RingAssertions.ConvergedAsync(stack, survivors);

        // The command left in the dead instance's queue is drained by a survivor and handled once.
        var handled = await Eventually.ReturnsAsync(() => Task.WhenAll(survivors.Select(i => stack.GetAsync<RoutingView>(i, "routing"))),
            views => views.Sum(v => v.Handled) > handledBefore, TimeSpan.FromSeconds(30), "the command in the dead instance's queue to be handled");
        Assert.Equal(1, handled.Sum(v => v.Handled) - handledBefore);
        Assert.DoesNotContain(victimId, converged[0].Members);
    }
}
