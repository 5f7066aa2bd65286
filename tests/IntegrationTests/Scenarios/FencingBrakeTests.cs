using System.Net;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Security;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// The brake: two of a cluster's three hosts look dead at once (more than the allowed half), which
/// is likelier a partition than two deaths. Nothing is fenced or restarted until an operator
/// approves, host by host.
/// </summary>
public sealed class FencingBrakeTests(SmallHostsHaStack stack) : IClassFixture<SmallHostsHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_most_of_a_cluster_looks_dead_nothing_is_fenced_until_an_operator_approves_each_host()
    {
        await stack.RegisterFleetAsync();
        var onFirst = await HaVms.StartAsync(stack, "braked-a", "host-1", "OnHostFailure");
        var onSecond = await HaVms.StartAsync(stack, "braked-b", "host-2", "OnHostFailure");

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-off", new { });
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-2/faults/power-off", new { });

        var held = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents"),
            list => list.Count(i => i.Status == IncidentStatus.AwaitingOperator) == 2, Timeout, "both incidents held by the brake");
        var first = await IncidentAsync(held.Single(i => i.HostId == "host-1").IncidentId);
        Assert.Contains(first.Timeline, s => s.Step == "Held by brake" && s.Detail.Contains("2 of 3 hosts", StringComparison.Ordinal));
        Assert.DoesNotContain(first.Timeline, s => s.Step == "Fencing");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"));
        // While their hosts wait for an operator, their VMs do not claim to run: nobody knows.
        foreach (var (vm, host) in new[] { (onFirst, "host-1"), (onSecond, "host-2") })
        {
            var doubted = await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}");
            Assert.Equal(("Unknown", host), (doubted.State, doubted.HostId));
            Assert.Contains($"host {host} is Suspect", doubted.StateReason);
        }

        // The first approval as an operator gives it, with cloudbus.
        var approved = await CliProcess.RunInAsync(null, new Dictionary<string, string?> { ["CLOUDBUS_TOKEN"] = TestTokens.For(OperatorRoles.Admin) },
            "incident", "approve", first.IncidentId.ToString(), "--for", "change 42", "--url", $"ha-orchestrator={stack.HaOrchestrator.BaseAddress}");
        Assert.True(approved.ExitCode == 0, approved.Error);
        Assert.Contains("(for change 42): host-1 is fenced next", approved.Output, StringComparison.Ordinal);
        await RunningOnAsync(onFirst, "host-3");
        Assert.Equal(IncidentStatus.AwaitingOperator, (await IncidentAsync(held.Single(i => i.HostId == "host-2").IncidentId)).Status);
        Assert.DoesNotContain(await stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"), r => r.VmId == onSecond.VmId);
        await ApproveAsync(first.IncidentId, HttpStatusCode.Conflict);

        await ApproveAsync(held.Single(i => i.HostId == "host-2").IncidentId, HttpStatusCode.Accepted);
        await RunningOnAsync(onSecond, "host-3");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
    }

    private Task<Incident> IncidentAsync(Guid incidentId) => stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{incidentId}");

    private async Task ApproveAsync(Guid incidentId, HttpStatusCode expected)
    {
        using var response = await stack.Http.PostAsync(new Uri(stack.HaOrchestrator.BaseAddress, $"incidents/{incidentId}/approve-fencing"), null);
        Assert.Equal(expected, response.StatusCode);
    }

    private Task<VmView> RunningOnAsync(VmView vm, string hostId) =>
        Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"), v => v.State == "Running" && v.HostId == hostId,
            Timeout, $"{vm.Name} running on {hostId}");
}
