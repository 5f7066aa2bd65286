using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// HaOrchestrator believes agents self-fence after 2 s, but they wait 12 s. With the BMC
/// unreachable, only the self-fence proof can fence an isolated host; the host's own stated
/// self-fence time holds HA back until its VMs are really dead, so none runs twice.
/// </summary>
public sealed class MisconfiguredSelfFenceTests(MisconfiguredSelfFenceHaStack stack) : IClassFixture<MisconfiguredSelfFenceHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_host_stating_a_longer_self_fence_time_than_configured_is_not_fenced_by_silence_before_it()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "late-fence", "host-1", "OnHostFailure");
        await stack.Bmcs!.StopAsync("host-1");

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/isolate", new { });

        await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Running" && v.HostId != "host-1", Timeout, "the VM running elsewhere");
        var runs = await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}");
        Assert.Equal(2, runs.Count);
        Assert.True(runs[0].EndedAt <= runs[1].StartedAt, "the isolated copy must have fenced itself before the new one started");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));

        var listed = Assert.Single(await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents?hostId=host-1"));
        var incident = await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed.IncidentId}");
        Assert.Contains(incident.Timeline, s => s.Step == "Not fenced" && s.Evidence.Any(e => e.Contains("states it self-fences after 12s", StringComparison.Ordinal)));
        Assert.Equal("proven fenced by self-fence", Assert.Single(incident.Timeline, s => s.Step == "Fenced").Detail);
    }
}
