using System.Net;
using System.Net.Http.Json;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Tracing;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// Work a dead VmLifecycle instance left in flight is settled at once by whoever takes over, and
/// an operation's protection from sync is its own: nothing waits for an orphan's TTL, and nothing
/// another operation does ends it.
/// </summary>
public sealed class InterruptedOperationTests(TwoLifecyclesStack stack) : IClassFixture<TwoLifecyclesStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Starts_left_in_flight_by_a_killed_instance_are_settled_by_the_instance_that_takes_over_without_waiting_for_a_ttl()
    {
        var starter = stack.VmLifecycles.First(i => !i.HasExited);
        var survivor = stack.VmLifecycles.Last(i => !i.HasExited);
        await stack.RegisterFleetAsync(starter);
        await ConnectedAsync(starter, "host-3");
        var vms = new List<VmView>();
        for (var i = 0; i < 10; i++)
            vms.Add(await stack.PostAsync<VmView>(starter, "vms", new { name = $"interrupted-{i}", cpuCores = 1, memoryMib = 256 }));
        await using var bus = await TestBus.StartAsync(stack.Environment);
        var completions = await bus.CaptureAsync<VmCommandCompleted>();

        // host-3 runs each VM at once but answers 20 s later: the starts are in flight when their instance dies.
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-3/faults/slow", new { delayMs = 20_000 });
        var starts = vms.Select(vm => stack.Http.PostAsJsonAsync(new Uri(starter.BaseAddress, $"vms/{vm.VmId}/start"), new { hostId = "host-3" })).ToList();
        foreach (var vm in vms)
            await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"),
                runs => runs.Count == 1, Timeout, $"{vm.Name} to run on host-3");
        starter.Kill();
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-3/faults/heal", new { });
        foreach (var start in starts) await Assert.ThrowsAnyAsync<HttpRequestException>(() => start);

        // The other instance settles them as soon as the dead one leaves the ring: far sooner than the orphan TTL would allow.
        foreach (var vm in vms)
        {
            var running = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(survivor, $"vms/{vm.VmId}"), v => v.State == "Running", Timeout,
                $"{vm.Name} settled as Running");
            Assert.Equal(("host-3", 1L), (running.HostId, running.Incarnation));
            Assert.Contains("departed during start", running.StateReason);
            Assert.Single(await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"));
        }
        // Each start's end is announced as its own, and sync traces the VMs again.
        await completions.WaitForAsync(_ => vms.All(vm => completions.Snapshot().Any(c => c.VmId == vm.VmId && c.Outcome == VmCommandOutcome.Done)),
            Timeout, "every start's end announced");
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"),
            skips => !skips.Any(s => vms.Any(vm => vm.VmId == s.VmId)), Timeout, "no skip left for the settled VMs");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));

        await stack.StartAnotherVmLifecycleAsync(); // the stack has two again for the next test
    }

    [Fact]
    public async Task A_destroy_left_in_flight_by_a_dead_instance_is_settled_as_destroyed_once_its_host_no_longer_runs_the_vm()
    {
        var survivor = await stack.RegisterFleetAsync(stack.VmLifecycles.Last(i => !i.HasExited));
        var destroyer = stack.VmLifecycles.First(i => !i.HasExited && i != survivor);
        await ConnectedAsync(survivor, "host-3");
        var vm = await stack.PostAsync<VmView>(survivor, "vms", new { name = "doomed", cpuCores = 1, memoryMib = 512 });
        await stack.PostAsync<VmView>(survivor, $"vms/{vm.VmId}/start", new { hostId = "host-3" });

        // host-3 destroys at once but answers 20 s later, long after the destroying instance is dead.
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-3/faults/slow", new { delayMs = 20_000 });
        var destroyCall = stack.Http.PostAsJsonAsync(new Uri(destroyer.BaseAddress, $"vms/{vm.VmId}/destroy"), new { });
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"),
            intervals => intervals.Single().EndReason == VmRunEndReason.Destroyed, Timeout, "the host to destroy the VM");
        destroyer.Kill();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => destroyCall);
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-3/faults/heal", new { });

        // Not left Destroying until an orphan TTL: the survivor asks the host and finishes the destroy.
        var destroyed = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(survivor, $"vms/{vm.VmId}"),
            v => v.State == "Destroyed", Timeout, "the interrupted destroy to be settled");
        Assert.Contains("departed during destroy", destroyed.StateReason);
        Assert.Null(destroyed.HostId);
        Assert.Equal(0, (await stack.GetAsync<HostView>(survivor, "hosts/host-3")).CpuUsed);
        await stack.StartAnotherVmLifecycleAsync();
    }

    [Fact]
    public async Task A_refused_operation_announces_nothing_to_sync_and_leaves_the_operation_in_flight_protected()
    {
        var lifecycle = await stack.RegisterFleetAsync(stack.VmLifecycles.Last(i => !i.HasExited));
        await ConnectedAsync(lifecycle, "host-1");
        var vm = await stack.PostAsync<VmView>(lifecycle, "vms", new { name = "protected", cpuCores = 1, memoryMib = 256 });
        await stack.PostAsync<VmView>(lifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-1" });
        await using var bus = await TestBus.StartAsync(stack.Environment);
        var skips = await bus.CaptureAsync<VmTraceSkipped>();
        var continues = await bus.CaptureAsync<VmTraceContinued>();
        var completions = await bus.CaptureAsync<VmCommandCompleted>();

        // A destroy in flight: host-1 takes 8 s to answer (within the agent timeout, so the destroy succeeds).
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/slow", new { delayMs = 8_000 });
        var (inFlight, refused) = (Guid.NewGuid(), Guid.NewGuid());
        var destroy = stack.Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, $"vms/{vm.VmId}/destroy"), new { operationId = inFlight });
        try
        {
            await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"),
                list => list.Any(s => s.OperationId == inFlight), Timeout, "the destroy in flight to be skipped by sync");

            using var second = await stack.Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, $"vms/{vm.VmId}/destroy"), new { operationId = refused });
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            await completions.WaitForAsync(c => c.OperationId == refused, Timeout, "the refused destroy's end announced");

            // It announced its end, and nothing to sync: the destroy in flight keeps its skip.
            Assert.Equal(VmCommandOutcome.Refused, completions.Snapshot().Single(c => c.OperationId == refused).Outcome);
            Assert.DoesNotContain(skips.Snapshot(), s => s.OperationId == refused);
            Assert.DoesNotContain(continues.Snapshot(), c => c.OperationId == refused);
            Assert.Contains(await stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"), s => s.OperationId == inFlight);
        }
        finally { await HealAsync("host-1"); }

        using (var done = await destroy) await ApiAssert.SucceededAsync(done);
        Assert.Equal("Destroyed", (await stack.GetAsync<VmView>(lifecycle, $"vms/{vm.VmId}")).State);
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"),
            list => list.All(s => s.VmId != vm.VmId), Timeout, "the destroy's skip to end with it");
    }

    [Fact]
    public async Task A_stop_the_host_does_not_finish_in_time_gracefully_is_done_by_force()
    {
        var lifecycle = await stack.RegisterFleetAsync(stack.VmLifecycles.Last(i => !i.HasExited));
        await ConnectedAsync(lifecycle, "host-1");
        var vm = await stack.PostAsync<VmView>(lifecycle, "vms", new { name = "stubborn", cpuCores = 1, memoryMib = 512 });
        await stack.PostAsync<VmView>(lifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-1" });

        // host-1 answers after 1 s: longer than the 300 ms a graceful stop may take, within the forced stop's time.
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/slow", new { delayMs = 1000 });
        VmView stopped;
        try { stopped = await stack.PostAsync<VmView>(lifecycle, $"vms/{vm.VmId}/stop", new { }); }
        finally { await HealAsync("host-1"); }

        Assert.Equal("Stopped", stopped.State);
        Assert.Contains($"VM {vm.VmId} stop on host host-1 (force: False) failed", lifecycle.RecentOutput);
        Assert.DoesNotContain($"VM {vm.VmId} stop on host host-1 (force: True) failed", lifecycle.RecentOutput);
    }

    /// <summary>Heals a host slowed down even when the test fails, so the tests after it find it answering.</summary>
    private async Task HealAsync(string hostId) => await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/heal", new { });

    /// <summary>Tests here slow hosts down, which can make them look suspect for a while: wait until placement may use the host again.</summary>
    private Task<HostView> ConnectedAsync(ServiceProcess lifecycle, string hostId) =>
        Eventually.ReturnsAsync(() => stack.GetAsync<HostView>(lifecycle, $"hosts/{hostId}"), h => h.Status == "Connected", Timeout, $"{hostId} Connected");
}
