using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>Restarts when capacity runs short: the most important VMs get what there is; the rest say why they could not run.</summary>
public sealed class RestartCapacityTests(SmallHostsHaStack stack) : IClassFixture<SmallHostsHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_capacity_is_short_the_highest_priority_vms_restart_and_the_rest_fail_with_the_reason()
    {
        await stack.RegisterFleetAsync();
        // One core left free on each surviving host: room for two of the four VMs.
        await HaVms.StartAsync(stack, "filler-2", "host-2", "None", cpuCores: SmallHostsHaStack.CoresPerHost - 1);
        await HaVms.StartAsync(stack, "filler-3", "host-3", "None", cpuCores: SmallHostsHaStack.CoresPerHost - 1);
        var byPriority = new List<VmView>();
        foreach (var priority in new[] { 10, 40, 20, 30 })
            byPriority.Add(await HaVms.StartAsync(stack, $"p{priority}", "host-1", "OnHostFailure", priority: priority));

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-off", new { });

        var restarts = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"),
            list => byPriority.All(vm => list.Any(r => r.VmId == vm.VmId && r.Status is RestartStatus.Running or RestartStatus.Failed)), Timeout,
            "every restart to end, running or failed");
        var outcome = byPriority.ToDictionary(vm => vm.RestartPriority, vm => restarts.Single(r => r.VmId == vm.VmId));
        Assert.Equal((RestartStatus.Running, RestartStatus.Running), (outcome[40].Status, outcome[30].Status));
        Assert.Equal((RestartStatus.Failed, RestartStatus.Failed), (outcome[20].Status, outcome[10].Status));
        Assert.All([outcome[20], outcome[10]], failed =>
        {
            Assert.Equal(3, failed.Attempts);
            Assert.Contains("gave up after 3 attempts", failed.LastError);
            Assert.Contains("NoCapacity", failed.LastError);
        });
        var incident = Assert.Single(await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents?hostId=host-1"));
        Assert.Equal(IncidentStatus.RestartsFailed, incident.Status);
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
    }
}
