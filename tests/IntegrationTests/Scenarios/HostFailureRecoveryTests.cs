using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// Host failures end to end on the whole stack with real BMCs (ipmi_sim): what is restarted, what
/// is left alone, and that no VM ever runs on two hosts at once. Each test breaks its own host and
/// mends it afterwards, so they can share one stack.
/// </summary>
public sealed class HostFailureRecoveryTests(HaStack stack, ITestOutputHelper output) : IClassFixture<HaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_powered_off_hosts_ha_vms_run_elsewhere_its_other_vms_are_stopped_and_none_ran_twice()
    {
        await stack.RegisterFleetAsync();
        const string failing = "host-1";
        var ha1 = await StartVmAsync("ha-a", failing, "OnHostFailure");
        var ha2 = await StartVmAsync("ha-b", failing, "NeverStop");
        var plain = await StartVmAsync("plain", failing, "None");

        await FaultAsync(failing, "power-off");

        var restarted = await WaitRunningElsewhereAsync(failing, ha1, ha2);
        Assert.All(restarted, vm => Assert.Equal((2L, stack.HaTaggedHost), (vm.Incarnation, vm.HostId)));
        var stopped = await Eventually.ReturnsAsync(() => VmAsync(plain), v => v.State == "Stopped", Timeout, "the VM without HA to be Stopped");
        Assert.Contains($"host {failing} fenced (BMC power off)", stopped.StateReason);
        Assert.Equal(0, (await stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{failing}")).CpuUsed);

        var incident = await Eventually.ReturnsAsync(() => IncidentAsync(failing), i => i.Status != IncidentStatus.Restarting, Timeout, "the incident to settle");
        Assert.Equal(((HostVerdict?)HostVerdict.Down, IncidentStatus.Restarted), (incident.Verdict, incident.Status));
        var steps = incident.Timeline.Select(s => s.Step).ToList();
        Assert.Equal(["Suspected", "Investigating", "Down", "Fencing", "Fenced", "VMs released"], steps.Where(s => !s.StartsWith("VM ", StringComparison.Ordinal)));
        Assert.Equal(2, steps.Count(s => s == "VM Running"));
        Assert.Contains(incident.Timeline, s => s.Step == "Fenced" && s.Evidence.Any(e => e.Contains("read back: off", StringComparison.Ordinal)));
        output.WriteLine(string.Join('\n', incident.Timeline.Select(s => $"{s.At:HH:mm:ss.fff} {s.Step}: {s.Detail}")));

        await AssertNoDoubleRunsAsync();
        await PowerOnAsync(failing);
    }

    [Fact]
    public async Task A_host_cut_off_from_the_control_plane_but_heartbeating_is_left_alone_even_with_its_bmc_unreachable()
    {
        await stack.RegisterFleetAsync();
        const string cutOff = "host-2";
        var vm = await StartVmAsync("cut-off", cutOff, "NeverStop");
        await stack.Bmcs!.StopAsync(cutOff);

        await FaultAsync(cutOff, "cut-control-plane");

        // Alive, and looked at again a round later: still alive, still nothing restarted.
        var incident = await Eventually.ReturnsAsync(() => IncidentAsync(cutOff), i => i.Timeline.Count(s => s.Step == "Alive") >= 2, Timeout,
            "two investigation rounds to find the host alive");
        Assert.Contains("heartbeat still advances", incident.Timeline.First(s => s.Step == "Alive").Detail);
        Assert.DoesNotContain(incident.Timeline, s => s.Step is "Down" or "Fencing" or "Fenced");
        Assert.Equal("Disconnected", (await stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{cutOff}")).Status);
        var doubted = await Eventually.ReturnsAsync(() => VmAsync(vm), v => v.State == "Unknown", Timeout, "the VM on the unreachable host Unknown");
        Assert.Contains($"host {cutOff} is", doubted.StateReason);
        Assert.Empty(await stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, $"restarts?vmId={vm.VmId}"));

        await FaultAsync(cutOff, "heal");
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{cutOff}"), h => h.Status == "Connected", Timeout, "the healed host Connected");
        // Unknown while cut off; Running again once its host's report says so.
        var after = await Eventually.ReturnsAsync(() => VmAsync(vm), v => v.State == "Running", Timeout, "the VM Running again");
        Assert.Equal((cutOff, 1L), (after.HostId, after.Incarnation));
        var runs = await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}");
        Assert.Equal(cutOff, Assert.Single(runs).HostId);
        Assert.Null(runs[0].EndedAt);
        await Eventually.ReturnsAsync(() => IncidentAsync(cutOff), i => i.Status == IncidentStatus.Recovered, Timeout, "the incident to end as Recovered");
        await AssertNoDoubleRunsAsync();
    }

    [Fact]
    public async Task An_isolated_host_fences_itself_and_its_vms_run_elsewhere_only_after_the_self_fence_time()
    {
        await stack.RegisterFleetAsync();
        const string isolated = "host-3";
        var vm = await StartVmAsync("isolated", isolated, "OnHostFailure");

        var isolatedAt = DateTimeOffset.UtcNow;
        await FaultAsync(isolated, "isolate");

        await WaitRunningElsewhereAsync(isolated, vm);
        var runs = await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}");
        Assert.Equal(2, runs.Count);
        Assert.Equal(isolated, runs[0].HostId);
        Assert.NotNull(runs[0].EndedAt);
        Assert.True(runs[0].EndedAt <= runs[1].StartedAt, "the old copy must be dead before the new one starts");
        Assert.True(runs[1].StartedAt >= isolatedAt + HaStack.AgentSelfFenceAfter,
            $"restarted {(runs[1].StartedAt - isolatedAt).TotalSeconds:0.00}s after isolation, before the self-fence time");
        await AssertNoDoubleRunsAsync();
        await PowerOnAsync(isolated);
    }

    [Fact]
    public async Task With_its_bmc_unreachable_a_dead_host_is_fenced_by_its_silent_heartbeat_and_its_vms_restart()
    {
        await stack.RegisterFleetAsync();
        const string dead = "host-4";
        var vm = await StartVmAsync("no-bmc", dead, "OnHostFailure");
        await stack.Bmcs!.StopAsync(dead);

        await FaultAsync(dead, "power-off");

        await WaitRunningElsewhereAsync(dead, vm);
        var incident = await IncidentAsync(dead);
        var fenced = Assert.Single(incident.Timeline, s => s.Step == "Fenced");
        Assert.Equal("proven fenced by self-fence", fenced.Detail);
        // The BMC is asked who it is before anything else: no answer, so nothing is powered off through it.
        Assert.Contains(fenced.Evidence, e => e.Contains("its identity could not be read (Unreachable", StringComparison.Ordinal));
        await AssertNoDoubleRunsAsync();
        await PowerOnAsync(dead);
    }

    [Fact]
    public async Task A_host_whose_first_bmc_address_is_dead_is_fenced_through_its_second()
    {
        await stack.RegisterFleetAsync();
        var failing = stack.DeadFirstBmcHost;
        var vm = await StartVmAsync("second-bmc", failing, "OnHostFailure");

        await FaultAsync(failing, "power-off");

        await WaitRunningElsewhereAsync(failing, vm);
        var fenced = Assert.Single((await IncidentAsync(failing)).Timeline, s => s.Step == "Fenced");
        Assert.Equal("proven fenced by BMC power off", fenced.Detail);
        Assert.Contains(fenced.Evidence, e => e.StartsWith($"BMC {stack.DeadBmcAddress}: its identity could not be read (Unreachable", StringComparison.Ordinal));
        Assert.Contains(fenced.Evidence, e => e.StartsWith($"BMC {stack.Bmcs!.EndpointOf(failing)}: power off accepted, read back: off", StringComparison.Ordinal));
        await AssertNoDoubleRunsAsync();
        await PowerOnAsync(failing);
    }

    private Task<VmView> StartVmAsync(string name, string hostId, string haLevel) => HaVms.StartAsync(stack, name, hostId, haLevel);

    private Task<VmView> VmAsync(VmView vm) => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}");

    private async Task<IReadOnlyList<VmView>> WaitRunningElsewhereAsync(string failedHost, params VmView[] vms)
    {
        var running = new List<VmView>();
        foreach (var vm in vms)
            running.Add(await Eventually.ReturnsAsync(() => VmAsync(vm), v => v is { State: "Running" } && v.HostId != failedHost, Timeout,
                $"HA VM {vm.Name} to run on another host"));
        return running;
    }

    private async Task<Incident> IncidentAsync(string hostId)
    {
        var listed = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={hostId}"),
            list => list.Count > 0, Timeout, $"an incident for {hostId}");
        return await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed[0].IncidentId}");
    }

    private async Task FaultAsync(string hostId, string fault) =>
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/{fault}", new { });

    private async Task PowerOnAsync(string hostId)
    {
        await FaultAsync(hostId, "heal");
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/power", new { on = true });
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"), h => h.Status == "Connected", Timeout, $"{hostId} Connected again");
    }

    private async Task AssertNoDoubleRunsAsync() =>
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
}
