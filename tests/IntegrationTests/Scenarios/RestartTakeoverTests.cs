using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>An HaOrchestrator instance dies in the middle of restarts: the other takes them over and every VM runs exactly once.</summary>
public sealed class RestartTakeoverTests(TwoOrchestratorsHaStack stack) : IClassFixture<TwoOrchestratorsHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_orchestrator_killed_mid_restart_leaves_its_restarts_to_the_other_and_every_vm_runs_once()
    {
        await stack.RegisterFleetAsync();
        var vms = new List<VmView>();
        for (var i = 0; i < 6; i++) vms.Add(await HaVms.StartAsync(stack, $"takeover-{i}", "host-1", "NeverStop"));
        // Starts on the surviving hosts take a moment, so a restart can be caught in flight.
        foreach (var host in new[] { "host-2", "host-3", "host-4" })
            await stack.PostAsync<object>(stack.Agent, $"hosts/{host}/faults/slow", new { delayMs = 150 });

        await stack.PostAsync<object>(stack.Agent, "hosts/host-1/faults/power-off", new { });

        var inFlight = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"),
            list => list.Any(r => r.Status == "Starting" && r.ClaimedBy is not null), Timeout, "a restart in flight");
        var claimant = inFlight.First(r => r.Status == "Starting").ClaimedBy;
        var victim = await InstanceAsync(claimant!);
        victim.Kill();

        foreach (var vm in vms)
            await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
                v => v is { State: "Running" } && v.HostId != "host-1", Timeout, $"{vm.Name} running elsewhere");
        var restarts = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"),
            list => vms.All(vm => list.Any(r => r.VmId == vm.VmId && r.Status == "Running")), Timeout, "every restart recorded as done");
        Assert.Equal(vms.Count, restarts.Count(r => vms.Any(vm => vm.VmId == r.VmId)));
        // The killed instance held a restart (one at a time): the survivor took it over after its lease.
        Assert.Contains(restarts, r => vms.Any(vm => vm.VmId == r.VmId) && r.Attempts >= 2);
        foreach (var vm in vms)
        {
            var runs = await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.Agent, $"audit/intervals?vmId={vm.VmId}");
            Assert.Equal(2, runs.Count);
            Assert.Single(runs, r => r.EndedAt is null);
        }
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.Agent, "audit/double-runs"));
    }

    private async Task<ServiceProcess> InstanceAsync(string instanceId)
    {
        foreach (var instance in stack.HaOrchestrators)
            if ((await stack.GetAsync<ServiceIdentity>(instance, "instance")).InstanceId == instanceId) return instance;
        throw new InvalidOperationException($"No HaOrchestrator process is instance {instanceId}.");
    }
}
