using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// Scaling HostMonitor out from one instance to three and back to one while hosts fail: at every
/// settled point each host is watched by exactly one instance, and each failed host's HA VMs run
/// again elsewhere, once.
/// </summary>
public sealed class HostMonitorScalingTests(HaStack stack) : IClassFixture<HaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Scaling_host_monitor_from_one_to_three_and_back_while_hosts_fail_keeps_every_host_watched_and_every_ha_vm_running_once()
    {
        await stack.RegisterFleetAsync();
        var (firstFailure, secondFailure) = (stack.FleetHostIds[0], stack.FleetHostIds[1]);
        var vms = new List<VmView>();
        foreach (var host in stack.FleetHostIds.Take(4))
            vms.Add(await HaVms.StartAsync(stack, $"scaled-{host}", host, "OnHostFailure"));
        var first = stack.HostMonitor;
        try
        {
            // Out: two more instances start while a host loses its power.
            await stack.PostAsync<FleetHostView>(stack.BackDoor, $"hosts/{firstFailure}/faults/power-off", new { });
            var added = await Task.WhenAll(stack.StartAnotherHostMonitorAsync(), stack.StartAnotherHostMonitorAsync());
            IReadOnlyList<ServiceProcess> running = [first, .. added];
            await RingAssertions.ConvergedAsync(stack, running);
            await EachHostWatchedOnceAsync(running);
            await RunningElsewhereAsync(vms.Where(vm => vm.HostId == firstFailure), firstFailure);

            // Back: the two new instances stop (as ./up.sh scale stops them) while another host fails.
            await stack.PostAsync<FleetHostView>(stack.BackDoor, $"hosts/{secondFailure}/faults/power-off", new { });
            await Task.WhenAll(added.Select(instance => instance.StopAsync(StopTimeout)));
            await RingAssertions.ConvergedAsync(stack, [first]);
            await EachHostWatchedOnceAsync([first]);
            await RunningElsewhereAsync(vms.Where(vm => vm.HostId == secondFailure), secondFailure);

            // Every HA VM runs, and none ever ran on two hosts at once.
            foreach (var vm in vms)
                Assert.Equal("Running", (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}")).State);
            Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
        }
        finally
        {
            foreach (var host in new[] { firstFailure, secondFailure })
                await stack.PostAsync<FleetHostView>(stack.BackDoor, $"hosts/{host}/faults/power-on", new { });
        }
    }

    /// <summary>Waits until the instances between them watch every host of the fleet, each host by one instance only.</summary>
    private async Task EachHostWatchedOnceAsync(IReadOnlyList<ServiceProcess> instances) =>
        await Eventually.ReturnsAsync(() => RingAssertions.OwnedHostsAsync(stack, instances),
            owned => owned.Values.SelectMany(hosts => hosts.Select(h => h.HostId)).Order().SequenceEqual(stack.FleetHostIds.Order()),
            Timeout, $"every host watched by exactly one of {instances.Count} HostMonitor instances");

    private async Task RunningElsewhereAsync(IEnumerable<VmView> victims, string failedHost)
    {
        foreach (var vm in victims)
            await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
                v => v.State == "Running" && v.HostId != failedHost, Timeout, $"{vm.Name} running on another host than {failedHost}");
    }
}
