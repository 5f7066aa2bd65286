using CloudBus.HaOrchestrator.Incidents;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;
using Dapper;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// An HaOrchestrator that starts knowing no host (deployed after the hosts were registered, or
/// its tables lost) catches up from VmLifecycle, so it can still fence through the right BMC and
/// ask the right neighbours.
/// </summary>
public sealed class LateOrchestratorTests(SmallHostsHaStack stack) : IClassFixture<SmallHostsHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_orchestrator_started_after_the_hosts_were_registered_learns_them_and_handles_a_failure()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "late", "host-1", "OnHostFailure");
        foreach (var instance in stack.HaOrchestrators) instance.Kill();
        await using (var connection = await stack.Servers.Database.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("DELETE FROM ha_orchestrator.host_statuses; DELETE FROM ha_orchestrator.hosts;");
        await stack.StartAnotherHaOrchestratorAsync();

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-off", new { });

        await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Running" && v.HostId != "host-1", Timeout, "the VM running elsewhere");
        var listed = Assert.Single(await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents?hostId=host-1"));
        var incident = await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed.IncidentId}");
        Assert.Equal("proven fenced by BMC power off", Assert.Single(incident.Timeline, s => s.Step == "Fenced").Detail);
    }
}
