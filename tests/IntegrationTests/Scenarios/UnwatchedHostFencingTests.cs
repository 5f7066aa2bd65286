using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// A host whose heartbeat does not say a watchdog backs its self-fence, dead with its BMC down:
/// its silence proves nothing (an agent that hung would leave its VMs running), so HA fences it
/// only through the BMC, and with the BMC down restarts nothing, saying why on the timeline.
/// </summary>
public sealed class UnwatchedHostFencingTests(UnwatchedHaStack stack) : IClassFixture<UnwatchedHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_dead_host_without_a_watchdog_and_with_its_bmc_down_is_not_fenced_and_its_vms_are_not_restarted()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "unwatched", "host-1", "OnHostFailure");
        await stack.Bmcs!.StopAsync("host-1");

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-off", new { });

        // Silent far past the self-fence time plus margin (2.5 s here), on every neighbour: still not fenced.
        var incident = await Eventually.ReturnsAsync(async () =>
            {
                var listed = await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents?hostId=host-1");
                return listed.Count == 0 ? null : await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed[0].IncidentId}");
            },
            i => i?.Timeline.Count(s => s.Step == "Not fenced") >= 2, Timeout, "two fencing attempts to fail");
        Assert.Contains(incident!.Timeline, s => s.Step == "Not fenced"
            && s.Evidence.Any(e => e.Contains("does not say a watchdog backs its self-fence", StringComparison.Ordinal)));
        Assert.DoesNotContain(incident.Timeline, s => s.Step == "Fenced");
        var now = await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}");
        Assert.Equal("host-1", now.HostId);
        Assert.Single(await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"));

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-on", new { });
    }
}
