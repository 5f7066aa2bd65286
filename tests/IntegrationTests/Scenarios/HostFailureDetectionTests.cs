using System.Diagnostics;
using System.Net.Http.Json;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Persistence;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>Fast detection of a dead host, and no false alarm for a flaky one.</summary>
public sealed class HostFailureDetectionTests(FastPingStack stack, ITestOutputHelper output) : IClassFixture<FastPingStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_host_losing_30_percent_of_requests_is_never_suspected_over_120_pings()
    {
        const string hostId = "host-1";
        await ConnectedAsync(hostId);
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/flaky", new { failureRate = 0.3 });
        var start = await stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}");

        // 120 pings: four minutes' worth at the default 2 s interval.
        var end = await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Pings >= start.Pings + 120, Timeout, "120 more pings of the flaky host");
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/heal", new { });

        Assert.Equal("Connected", end.Status);
        var incidents = await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents");
        Assert.DoesNotContain(incidents, i => i.HostId == hostId);
    }

    [Fact]
    public async Task A_powered_off_host_is_suspected_within_about_k_ping_intervals_and_recovers_when_powered_on()
    {
        const string hostId = "host-2";
        await ConnectedAsync(hostId);

        var sincePowerOff = Stopwatch.StartNew();
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/power-off", new { });
        var ideal = FastPingStack.FastPingInterval * FastPingStack.MissesBeforeSuspect;
        var incident = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents"),
            incidents => incidents.Any(i => i.HostId == hostId), ideal * 5 + TimeSpan.FromSeconds(5), "the powered-off host to be suspected");
        output.WriteLine($"suspected {sincePowerOff.Elapsed.TotalSeconds:0.00} s after power-off (k x interval = {ideal.TotalSeconds:0.00} s)");

        var evidence = incident.Single(i => i.HostId == hostId);
        Assert.Equal(FastPingStack.MissesBeforeSuspect, evidence.ConsecutiveMisses);
        Assert.Equal(FastPingStack.MissesBeforeSuspect, evidence.Errors.Count);
        Assert.Equal("Suspect", (await stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}")).Status);

        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/power-on", new { });
        var recovered = await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Status == "Connected", Timeout, "the host to recover");
        Assert.StartsWith("answered ping after", recovered.Reason);

        // Every change is in the host's history, with its reason.
        var history = await stack.GetAsync<IReadOnlyList<HostStatusChange>>(stack.HostMonitor, $"hosts/{hostId}/history");
        var suspected = history.Select((change, index) => (change, index)).Last(c => c.change.To == HostStatus.Suspect);
        Assert.Contains("3 consecutive pings missed", suspected.change.Reason);
        Assert.Equal(HostStatus.Connected, history[suspected.index - 1].To);
        Assert.Equal(HostStatus.Connected, history[^1].To);
        // HA may have found the host alive in between (its heartbeat resumed with its power).
        Assert.All(history.Skip(suspected.index + 1).SkipLast(1), c => Assert.Equal(HostStatus.Disconnected, c.To));
    }

    [Fact]
    public async Task A_vm_running_where_the_control_plane_does_not_expect_it_is_reported_as_a_stranger_and_left_alone()
    {
        const string hostId = "host-1";
        await ConnectedAsync(hostId);
        var stranger = Guid.NewGuid().ToString();
        await stack.PostAsync<object>(stack.Agent, $"hosts/{hostId}/vms/{stranger}/start", new { incarnation = 1, cpuCores = 1, memoryMib = 256 });

        var strangers = await Eventually.ReturnsAsync(() => stack.GetAsync<Dictionary<string, string[]>>(stack.HostMonitor, "strangers"),
            s => s.TryGetValue(hostId, out var vms) && vms.Contains(stranger), Timeout, "the stranger to be reported");
        Assert.Contains(stranger, strangers[hostId]);
        Assert.Null(Assert.Single(await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={stranger}")).EndedAt);
    }

    [Fact]
    public async Task A_host_in_maintenance_is_not_pinged_nor_suspected_takes_no_vms_and_comes_back()
    {
        const string hostId = "host-3";
        await ConnectedAsync(hostId);
        await ConnectedAsync("host-1");

        await stack.PostAsync<object>(stack.VmLifecycle, $"hosts/{hostId}/maintenance", new { enabled = true, reason = "firmware update" });
        // Placement follows at once: VmLifecycle owns the decision and stored it before answering.
        var placement = await stack.GetAsync<CloudBus.VmLifecycle.Api.HostView>(stack.VmLifecycle, $"hosts/{hostId}");
        Assert.Equal((true, "firmware update"), (placement.InMaintenance, placement.MaintenanceReason));
        var inMaintenance = await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Status == "Maintenance", Timeout, "the host to be in maintenance");
        Assert.Equal("firmware update", inMaintenance.Reason);
        // A ping already under way when maintenance began may still be counted: start counting a round later.
        var round = await stack.GetAsync<HostSnapshot>(stack.HostMonitor, "hosts/host-1");
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, "hosts/host-1"), h => h.Pings > round.Pings, Timeout, "another ping round");
        var parked = await stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}");

        // Powered off while parked: not pinged, so no misses and no suspicion while other hosts
        // go through more than 2k ping rounds.
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/power-off", new { });
        var other = await stack.GetAsync<HostSnapshot>(stack.HostMonitor, "hosts/host-1");
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, "hosts/host-1"),
            h => h.Pings >= other.Pings + 2 * FastPingStack.MissesBeforeSuspect, Timeout, "more ping rounds");
        var still = await stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}");
        Assert.Equal(("Maintenance", parked.Pings, 0), (still.Status, still.Pings, still.ConsecutiveMisses));
        Assert.DoesNotContain(await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents"), i => i.HostId == hostId);

        using var refused = await stack.Http.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, "vms"), new { name = "parked", cpuCores = 1, memoryMib = 512 });
        var vm = await refused.Content.ReadFromJsonAsync<CloudBus.VmLifecycle.Api.VmView>(Json.Options);
        using var start = await stack.Http.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, $"vms/{vm!.VmId}/start"), new { hostId });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, start.StatusCode);
        Assert.Contains("host is in maintenance (firmware update)", await start.Content.ReadAsStringAsync());

        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/power-on", new { });
        await stack.PostAsync<object>(stack.VmLifecycle, $"hosts/{hostId}/maintenance", new { enabled = false });
        await ConnectedAsync(hostId);
    }

    [Fact]
    public async Task A_maintenance_reason_that_cannot_be_stored_is_refused_and_changes_nothing_anywhere()
    {
        const string hostId = "host-2";
        await ConnectedAsync(hostId);
        var before = await stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}");

        using var refused = await stack.Http.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, $"hosts/{hostId}/maintenance"),
            new { enabled = true, reason = "bad\u0000reason" });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("reason must be 0-500 characters without control characters", await refused.Content.ReadAsStringAsync());
        Assert.False((await stack.GetAsync<CloudBus.VmLifecycle.Api.HostView>(stack.VmLifecycle, $"hosts/{hostId}")).InMaintenance);
        // Still pinged and Connected: HostMonitor never heard of it.
        var after = await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Pings >= before.Pings + 2, Timeout, "more pings of the host");
        Assert.Equal("Connected", after.Status);
    }

    [Fact]
    public async Task A_host_whose_first_agent_address_is_dead_is_reached_through_its_second_and_never_suspected()
    {
        const string hostId = "host-4";
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        using (var registered = await stack.Http.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, "hosts"), new
               {
                   hostId, agentAddress = dead.ToString(), alternateAgentAddresses = new[] { stack.Agent.BaseAddress.ToString() },
                   cluster = "cluster-a", cpuCores = 16, memoryMib = 32768,
               }))
            await ApiAssert.SucceededAsync(registered);
        var connected = await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Status == "Connected", Timeout, $"{hostId} to be Connected through its second address");
        Assert.Equal([dead.ToString(), stack.Agent.BaseAddress.ToString()], connected.AgentAddresses);

        // 30 pings, each within the 150 ms ping timeout: none missed, so no suspicion.
        var end = await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Pings >= connected.Pings + 30, Timeout, "30 more pings");
        Assert.Equal(("Connected", 0), (end.Status, end.ConsecutiveMisses));
        var history = await stack.GetAsync<IReadOnlyList<HostStatusChange>>(stack.HostMonitor, $"hosts/{hostId}/history");
        Assert.DoesNotContain(history, change => change.To != HostStatus.Connected);
        Assert.DoesNotContain(await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents"), i => i.HostId == hostId);

        // VM sync lists the host's VMs through the same address: a VM started behind the control plane's back is seen.
        var stranger = Guid.NewGuid().ToString();
        await stack.PostAsync<object>(stack.Agent, $"hosts/{hostId}/vms/{stranger}/start", new { incarnation = 1, cpuCores = 1, memoryMib = 256 });
        await Eventually.ReturnsAsync(() => stack.GetAsync<Dictionary<string, string[]>>(stack.HostMonitor, "strangers"),
            s => s.TryGetValue(hostId, out var vms) && vms.Contains(stranger), Timeout, "the stranger on the failed-over host to be reported");
        await stack.PostAsync<object>(stack.Agent, $"hosts/{hostId}/vms/{stranger}/destroy", new { });
    }

    private async Task ConnectedAsync(string hostId)
    {
        await stack.EnsureHostRegisteredAsync(hostId);
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Status == "Connected", Timeout, $"{hostId} to be Connected");
    }
}
