using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.IntegrationTests.Infrastructure;
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
        Assert.All(restarted, vm => Assert.Equal(2, vm.Incarnation));
        var stopped = await Eventually.ReturnsAsync(() => VmAsync(plain), v => v.State == "Stopped", Timeout, "the VM without HA to be Stopped");
        Assert.Contains($"host {failing} fenced (BMC power off)", stopped.StateReason);
        Assert.Equal(0, (await stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{failing}")).CpuUsed);

        var incident = await IncidentAsync(failing);
        Assert.Equal(("Down", "Restarting"), (incident.Verdict, incident.Status));
        var steps = incident.Timeline.Select(s => s.Step).ToList();
        Assert.Equal(["Suspected", "Investigating", "Down", "Fencing", "Fenced", "VMs released"], steps.Where(s => !s.StartsWith("VM ", StringComparison.Ordinal)));
        Assert.Equal(2, steps.Count(s => s == "VM Running"));
        Assert.Contains(incident.Timeline, s => s.Step == "Fenced" && s.Evidence.Any(e => e.Contains("read back: off", StringComparison.Ordinal)));
        output.WriteLine(string.Join('\n', incident.Timeline.Select(s => $"{s.At:HH:mm:ss.fff} {s.Step}: {s.Detail}")));

        await AssertNoDoubleRunsAsync();
        await PowerOnAsync(failing);
    }

    private async Task<VmView> StartVmAsync(string name, string hostId, string haLevel, int cpuCores = 1, int priority = 0)
    {
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms",
            new { name = $"{name}-{Guid.NewGuid().ToString("N")[..6]}", cpuCores, memoryMib = 256, haLevel, restartPriority = priority });
        return await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { hostId });
    }

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
        await stack.PostAsync<object>(stack.Agent, $"hosts/{hostId}/faults/{fault}", new { });

    private async Task PowerOnAsync(string hostId)
    {
        await FaultAsync(hostId, "heal");
        await stack.PostAsync<object>(stack.Agent, $"hosts/{hostId}/power", new { on = true });
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"), h => h.Status == "Connected", Timeout, $"{hostId} Connected again");
    }

    private async Task AssertNoDoubleRunsAsync() =>
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.Agent, "audit/double-runs"));
}
