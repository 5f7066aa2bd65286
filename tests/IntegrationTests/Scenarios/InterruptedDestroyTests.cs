using System.Net.Http.Json;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Tracing;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// ZStack's stuck destroy, replayed: a destroy is in flight when its VmLifecycle instance dies.
/// The host reports the VM stopped, the VM moves from Destroying to Stopped, and a new destroy completes.
/// </summary>
public sealed class InterruptedDestroyTests(TwoLifecyclesStack stack) : IClassFixture<TwoLifecyclesStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_vm_left_destroying_by_a_dead_instance_becomes_stopped_when_its_host_reports_it_and_can_be_destroyed_again()
    {
        var survivor = await stack.RegisterFleetAsync(stack.VmLifecycles[1]);
        var vm = await stack.PostAsync<VmView>(survivor, "vms", new { name = "doomed", cpuCores = 1, memoryMib = 512 });
        await stack.PostAsync<VmView>(survivor, $"vms/{vm.VmId}/start", new { hostId = "host-3" });

        // host-3 destroys at once but answers 30 s later, long after the destroying instance is dead.
        await stack.PostAsync<object>(stack.Agent, "hosts/host-3/faults/slow", new { delayMs = 30_000 });
        var destroyer = stack.VmLifecycles[0];
        var destroyCall = stack.Http.PostAsJsonAsync(new Uri(destroyer.BaseAddress, $"vms/{vm.VmId}/destroy"), new { });
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.Agent, $"audit/intervals?vmId={vm.VmId}"),
            intervals => intervals.Single().EndReason == VmRunEndReason.Destroyed, Timeout, "the host to destroy the VM");
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"),
            skips => skips.Any(s => s.VmId == vm.VmId && s.Operation == "destroy"), Timeout, "the destroy to be skipped by sync");
        destroyer.Kill();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => destroyCall);
        await stack.PostAsync<object>(stack.Agent, "hosts/host-3/faults/heal", new { });
        Assert.Equal("Destroying", (await stack.GetAsync<VmView>(survivor, $"vms/{vm.VmId}")).State);

        // Once the orphaned skip expires, sync finds the VM missing and, after the grace period, reports it stopped.
        var stopped = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(survivor, $"vms/{vm.VmId}"),
            v => v.State == "Stopped", Timeout, "the VM to move from Destroying to Stopped");
        Assert.Contains("host-3 reports it Stopped", stopped.StateReason);
        Assert.Null(stopped.HostId);

        var destroyed = await stack.PostAsync<VmView>(survivor, $"vms/{vm.VmId}/destroy", new { });
        Assert.Equal("Destroyed", destroyed.State);
        Assert.Equal(0, (await stack.GetAsync<HostView>(survivor, "hosts/host-3")).CpuUsed);
    }
}
