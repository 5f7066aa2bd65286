using System.Net.Http.Json;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Tracing;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// ZStack's split-brain, replayed: the VmLifecycle instance starting a VM is killed mid-start.
/// Its skip must be orphaned, not dropped: sync leaves the VM alone until the TTL, the start then
/// completes through sync, no HA fires, and the VM never runs twice.
/// </summary>
public sealed class OrphanedStartTests(TwoLifecyclesStack stack) : IClassFixture<TwoLifecyclesStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_vm_whose_starter_dies_mid_start_is_left_alone_while_orphaned_then_runs_once()
    {
        await stack.RegisterFleetAsync(stack.VmLifecycles[1]);
        await Eventually.ReturnsAsync(() => stack.GetAsync<RingView>(stack.NodeRegistry, "rings/vm-lifecycle"),
            ring => ring.Members.Count == 2, Timeout, "both VmLifecycle instances in their ring");
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycles[1], "vms", new { name = "orphan-1", cpuCores = 1, memoryMib = 1024, haLevel = "NeverStop" });

        // host-2 answers slowly: the VM starts there at once, but the answer comes 30 s later,
        // long after the starting instance is dead.
        await stack.PostAsync<object>(stack.Agent, "hosts/host-2/faults/slow", new { delayMs = 30_000 });
        var starter = stack.VmLifecycles[0];
        var startCall = stack.Http.PostAsJsonAsync(new Uri(starter.BaseAddress, $"vms/{vm.VmId}/start"), new { hostId = "host-2" });
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.Agent, $"audit/intervals?vmId={vm.VmId}"),
            intervals => intervals.Count == 1, Timeout, "the VM to run on host-2");
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"),
            skips => skips.Any(s => s.VmId == vm.VmId), Timeout, "the start to be skipped by sync");
        starter.Kill();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => startCall);
        await stack.PostAsync<object>(stack.Agent, "hosts/host-2/faults/heal", new { });

        // The skip is orphaned (not dropped), and while it lasts sync leaves the VM as it was.
        var orphan = (await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"),
            skips => skips.Any(s => s.VmId == vm.VmId && s.IsOrphaned), Timeout, "the skip to be orphaned")).Single(s => s.VmId == vm.VmId);
        var during = await stack.GetAsync<VmView>(stack.VmLifecycles[1], $"vms/{vm.VmId}");
        Assert.True(DateTimeOffset.UtcNow < orphan.ExpiresAt, "the orphan should still be live when checked");
        Assert.Equal(("Starting", "host-2"), (during.State, during.HostId));

        // After the TTL tracing resumes: sync sees it running and the start completes, same run:
        // incarnation 1 and one run interval mean nothing restarted it (no HA fired) and it never ran twice.
        var running = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycles[1], $"vms/{vm.VmId}"),
            v => v.State == "Running", Timeout, "the VM to be Running once tracing resumes");
        Assert.True(DateTimeOffset.UtcNow >= orphan.ExpiresAt);
        Assert.Equal(("host-2", 1L), (running.HostId, running.Incarnation));
        Assert.DoesNotContain(await stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"), s => s.VmId == vm.VmId);
        Assert.Single(await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.Agent, $"audit/intervals?vmId={vm.VmId}"));
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.Agent, "audit/double-runs"));
    }

    [Fact]
    public async Task A_stop_the_host_does_not_finish_in_time_gracefully_is_done_by_force()
    {
        var lifecycle = await stack.RegisterFleetAsync(stack.VmLifecycles[1]);
        var vm = await stack.PostAsync<VmView>(lifecycle, "vms", new { name = "stubborn", cpuCores = 1, memoryMib = 512 });
        await stack.PostAsync<VmView>(lifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-1" });

        // host-1 answers after 1 s: longer than the 300 ms a graceful stop may take, within the forced stop's time.
        await stack.PostAsync<object>(stack.Agent, "hosts/host-1/faults/slow", new { delayMs = 1000 });
        var stopped = await stack.PostAsync<VmView>(lifecycle, $"vms/{vm.VmId}/stop", new { });
        await stack.PostAsync<object>(stack.Agent, "hosts/host-1/faults/heal", new { });

        Assert.Equal("Stopped", stopped.State);
        Assert.Contains($"VM {vm.VmId} stop on host host-1 (force: False) failed", lifecycle.RecentOutput);
        Assert.DoesNotContain($"VM {vm.VmId} stop on host host-1 (force: True) failed", lifecycle.RecentOutput);
    }

    private sealed record RingView(long Epoch, IReadOnlyList<string> Members);
}
