using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// Invariant 6: losing HaOrchestrator processes, or every connection to the broker and the
/// database, in the middle of an incident loses no HA work. The investigation saga and its timers
/// live in Postgres and its commands in RabbitMQ, so the incident runs to its end.
/// </summary>
public sealed class IncidentResumptionTests(PatientVerdictHaStack stack, ITestOutputHelper output) : IClassFixture<PatientVerdictHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_orchestrator_killed_mid_investigation_a_new_one_finishes_the_incident()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "resumed", "host-1", "OnHostFailure");

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-off", new { });
        await InvestigatingAsync("host-1");
        foreach (var instance in stack.HaOrchestrators) instance.Kill();
        await stack.StartAnotherHaOrchestratorAsync();

        await RunningElsewhereAsync(vm, "host-1");
        await FinishedAsync("host-1");
    }

    [Fact]
    public async Task Broker_and_database_connections_lost_mid_investigation_the_incident_still_finishes()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "reconnected", "host-2", "OnHostFailure");

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-2/faults/power-off", new { });
        await InvestigatingAsync("host-2");
        output.WriteLine($"closed {await stack.Servers.VirtualHost.CloseConnectionsAsync()} broker connections, "
                         + $"ended {await stack.Servers.Database.TerminateConnectionsAsync()} database sessions");

        await RunningElsewhereAsync(vm, "host-2");
        await FinishedAsync("host-2");
    }

    private Task<IReadOnlyList<Incident>> InvestigatingAsync(string hostId) =>
        Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={hostId}"),
            list => list.Any(i => i.Status == IncidentStatus.Investigating), Timeout, $"{hostId} under investigation");

    private Task<VmView> RunningElsewhereAsync(VmView vm, string failedHost) =>
        Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Running" && v.HostId != failedHost, Timeout, $"{vm.Name} running elsewhere");

    private async Task FinishedAsync(string hostId)
    {
        var listed = (await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={hostId}")).Single();
        var incident = await Eventually.ReturnsAsync(() => stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed.IncidentId}"),
            i => i.Status == IncidentStatus.Restarted && i.Timeline.Any(s => s.Step == "VM Running"), Timeout, "the incident to finish");
        output.WriteLine(string.Join('\n', incident.Timeline.Select(s => $"{s.At:HH:mm:ss.fff} {s.Step}: {s.Detail}")));
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
    }
}
