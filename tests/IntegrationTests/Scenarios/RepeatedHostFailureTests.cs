using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// A host that fails, comes back, takes VMs again and fails a second time: the second incident is
/// an incident of its own, with its own release, and every HA VM on the host runs elsewhere again
/// (issue finding: the second release replayed the first one's list and lost the VMs).
/// </summary>
public sealed class RepeatedHostFailureTests(HaStack stack, ITestOutputHelper output) : IClassFixture<HaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string Failing = "host-1";

    [Fact]
    public async Task A_host_that_fails_a_second_time_has_its_new_vms_released_and_restarted_by_a_new_incident()
    {
        await stack.RegisterFleetAsync();
        var returning = await HaVms.StartAsync(stack, "returning", Failing, "OnHostFailure");

        await PowerOffAsync();
        await RunningElsewhereAsync(returning);
        var first = await SettledIncidentAsync(after: null);
        Assert.Equal(IncidentStatus.Restarted, first.Status);

        await PowerOnAsync();
        // The host takes VMs again: a new one, and the first failure's survivor migrated back.
        var newcomer = await HaVms.StartAsync(stack, "newcomer", Failing, "NeverStop");
        var migrated = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{returning.VmId}/migrate", new { targetHostId = Failing });
        Assert.Equal(("Running", Failing), (migrated.State, migrated.HostId));

        await PowerOffAsync();
        await RunningElsewhereAsync(newcomer, migrated);
        var second = await SettledIncidentAsync(after: first);
        output.WriteLine(string.Join('\n', second.Timeline.Select(s => $"{s.At:HH:mm:ss.fff} {s.Step}: {s.Detail}")));
        Assert.Equal(IncidentStatus.Restarted, second.Status);
        var released = Assert.Single(second.Timeline, s => s.Step == "VMs released");
        Assert.Equal(2, released.Evidence.Count);
        Assert.Contains(released.Evidence, e => e.Contains(newcomer.VmId.ToString(), StringComparison.Ordinal));
        Assert.Contains(released.Evidence, e => e.Contains($"{migrated.VmId} incarnation {migrated.Incarnation}", StringComparison.Ordinal));

        Assert.Equal(0, (await stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{Failing}")).CpuUsed);
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
    }

    private async Task RunningElsewhereAsync(params VmView[] vms)
    {
        foreach (var vm in vms)
            await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
                v => v is { State: "Running" } && v.HostId != Failing, Timeout, $"{vm.Name} running on another host");
    }

    /// <summary>The newest incident of the failing host, once it has settled (a newer one than <paramref name="after"/>).</summary>
    private async Task<Incident> SettledIncidentAsync(Incident? after)
    {
        var listed = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={Failing}"),
            list => list.Count > 0 && list[0].IncidentId != after?.IncidentId && list[0].ClosedAt is not null && list[0].Status != IncidentStatus.Restarting,
            Timeout, $"a settled incident for {Failing}");
        return await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed[0].IncidentId}");
    }

    private async Task PowerOffAsync() => await stack.PostAsync<object>(stack.BackDoor, $"hosts/{Failing}/faults/power-off", new { });

    private async Task PowerOnAsync()
    {
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{Failing}/power", new { on = true });
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{Failing}"), h => h.Status == "Connected", Timeout,
            $"{Failing} Connected again");
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{Failing}"), h => h.Status == "Connected", Timeout,
            $"VmLifecycle to see {Failing} Connected again");
    }
}
