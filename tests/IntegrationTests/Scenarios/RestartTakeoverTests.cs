using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Routing;
using CloudBus.ServiceDefaults;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// An HaOrchestrator instance dies (-9) while it has restarts in flight, three times over: every
/// VM still runs once, and nothing the dead instance asked for is answered to its address. (Answering
/// a dead requester's temporary address faulted VmLifecycle's channel: its command queue lost its
/// consumer, its heartbeats stopped, and NodeRegistry dropped the live instance.)
/// </summary>
public sealed class RestartTakeoverTests(TwoOrchestratorsHaStack stack, ITestOutputHelper output) : IClassFixture<TwoOrchestratorsHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const int VmsPerHost = 10;

    [Fact]
    public async Task Orchestrators_killed_mid_restart_leave_no_vm_behind_and_no_answer_addressed_to_the_dead()
    {
        await stack.RegisterFleetAsync();
        var lifecycle = await stack.GetAsync<ServiceIdentity>(stack.VmLifecycle, "instance");
        await using var bus = await TestBus.StartAsync(stack.Environment);
        var rings = await bus.CaptureAsync<RingChanged>();

        foreach (var failing in new[] { "host-1", "host-2", "host-3" })
        {
            var vms = new List<VmView>();
            for (var i = 0; i < VmsPerHost; i++) vms.Add(await HaVms.StartAsync(stack, $"takeover-{failing}-{i}", failing, "NeverStop"));
            // Starts elsewhere take a moment, so restarts are caught in flight.
            foreach (var host in stack.FleetHostIds.Where(h => h != failing))
                await stack.PostAsync<object>(stack.BackDoor, $"hosts/{host}/faults/slow", new { delayMs = 300 });

            await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/faults/power-off", new { });
            // Killed once it has heard how some of its starts ended and while others are in flight.
            var inFlight = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"),
                list => list.Count(r => r.Status == RestartStatus.Running && vms.Any(vm => vm.VmId == r.VmId)) >= 3
                        && list.Any(r => r.Status == RestartStatus.Starting && r.ClaimedBy is not null && vms.Any(vm => vm.VmId == r.VmId)),
                Timeout, "restarts done and in flight");
            var victim = await InstanceAsync(inFlight.First(r => r.Status == RestartStatus.Starting && vms.Any(vm => vm.VmId == r.VmId)).ClaimedBy!);
            victim.Kill();
            output.WriteLine($"{failing}: killed {victim.Name} with {inFlight.Count(r => r.Status == RestartStatus.Starting)} restarts in flight");

            foreach (var vm in vms)
                await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
                    v => v is { State: "Running" } && v.HostId != failing, Timeout, $"{vm.Name} running elsewhere");
            await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"),
                list => vms.All(vm => list.Any(r => r.VmId == vm.VmId && r.Status == RestartStatus.Running)), Timeout, "every restart recorded as done");
            foreach (var vm in vms)
                Assert.Single(await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"), r => r.EndedAt is null);

            foreach (var host in stack.FleetHostIds.Where(h => h != failing))
                await stack.PostAsync<object>(stack.BackDoor, $"hosts/{host}/faults/heal", new { });
            await stack.StartAnotherHaOrchestratorAsync();
            // Back in service, so the next round's VMs have room.
            await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/power", new { on = true });
            await Eventually.ReturnsAsync(() => stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{failing}"), h => h.Status == "Connected", Timeout,
                $"{failing} Connected again");
        }

        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
        // VmLifecycle never lost its consumers or heartbeats: it stayed in its ring throughout.
        Assert.All(rings.Snapshot().Where(r => r.Service == "vm-lifecycle"), ring => Assert.Contains(lifecycle.InstanceId, ring.Members));
        Assert.DoesNotContain("NOT_FOUND", stack.VmLifecycle.RecentOutput);
        Assert.Empty(await stack.Servers.VirtualHost.ParkedMessagesAsync());
    }

    private async Task<ServiceProcess> InstanceAsync(string instanceId)
    {
        foreach (var instance in stack.HaOrchestrators.Where(i => !i.HasExited))
            if ((await stack.GetAsync<ServiceIdentity>(instance, "instance")).InstanceId == instanceId) return instance;
        throw new InvalidOperationException($"No live HaOrchestrator process is instance {instanceId}.");
    }
}
