using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.ServiceDefaults;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.ControlPlaneHa;

/// <summary>
/// The control plane loses a machine of its own while it handles a host failure: a broker node
/// (-9) during the investigation, a broker node during the restarts, the PostgreSQL primary during
/// the restarts. Each time the incident completes, every HA VM of the failed host runs again, none
/// ever ran twice, and no message is left parked in an error queue.
/// </summary>
[Collection(SharedHaServers.Name)]
public sealed class ControlPlaneFailoverTests(ClusterHaStack stack, ITestOutputHelper output) : IClassFixture<ClusterHaStack>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private const int VmsPerHost = 6;

    /// <summary>A test that failed before restarting what it killed leaves the next one a whole cluster.</summary>
    public Task InitializeAsync() => stack.HaServers.EnsureAllRunningAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_broker_node_killed_during_an_investigation_leaves_no_vm_behind()
    {
        await stack.RegisterFleetAsync();
        const string failing = "host-2";
        var vms = await StartVmsAsync(failing, "broker-investigation");

        await PowerOffAsync(failing);
        await Eventually.ReturnsAsync(() => IncidentsOfAsync(failing), list => list.Any(i => i.Status == IncidentStatus.Investigating), Timeout,
            $"an investigation of {failing}");
        var node = await BrokerNodeOfAsync(stack.HaOrchestrator);
        await stack.HaServers.KillRabbitNodeAsync(node);
        output.WriteLine($"killed broker node {node} (HaOrchestrator's) while {failing} is investigated");

        await AllRunElsewhereAsync(failing, vms);
        await stack.HaServers.StartRabbitNodeAsync(node);
        await AssertHandledOnceAsync(failing);
        await PowerOnAsync(failing);
    }

    [Fact]
    public async Task A_broker_node_killed_during_restarts_leaves_no_vm_behind()
    {
        await stack.RegisterFleetAsync();
        const string failing = "host-3";
        var vms = await StartVmsAsync(failing, "broker-restarts");

        await using (await SlowStartsElsewhereAsync(failing))
        {
            await PowerOffAsync(failing);
            await RestartsInFlightAsync(vms);
            var node = await BrokerNodeOfAsync(stack.VmLifecycle);
            await stack.HaServers.KillRabbitNodeAsync(node);
            output.WriteLine($"killed broker node {node} (VmLifecycle's) with restarts of {failing}'s VMs in flight");

            await AllRunElsewhereAsync(failing, vms);
            await stack.HaServers.StartRabbitNodeAsync(node);
        }
        // Whether the broker went on refusing a service's messages after the kill, so that it restarted its bus (BusRecycler).
        foreach (var service in stack.Services.Where(s => s.AllOutput.Any(line => line.Contains("restarting the bus", StringComparison.Ordinal))))
            output.WriteLine($"{service.Name} restarted its bus: the broker refused its messages after the kill");
        await AssertHandledOnceAsync(failing);
        await PowerOnAsync(failing);
    }

    [Fact]
    public async Task The_database_primary_killed_during_restarts_leaves_no_vm_behind()
    {
        await stack.RegisterFleetAsync();
        const string failing = "host-4";
        var vms = await StartVmsAsync(failing, "database-restarts");

        await using (await SlowStartsElsewhereAsync(failing))
        {
            await PowerOffAsync(failing);
            await RestartsInFlightAsync(vms);
            var primary = await stack.HaServers.PostgresPrimaryAsync();
            await stack.HaServers.KillPostgresNodeAsync(primary);
            output.WriteLine($"killed PostgreSQL node {primary} (the primary) with restarts of {failing}'s VMs in flight");

            await AllRunElsewhereAsync(failing, vms);
            await stack.HaServers.StartPostgresNodeAsync(primary);
        }
        await AssertHandledOnceAsync(failing);
        await PowerOnAsync(failing);
    }

    private async Task<List<VmView>> StartVmsAsync(string hostId, string name)
    {
        var vms = new List<VmView>();
        for (var i = 0; i < VmsPerHost; i++) vms.Add(await HaVms.StartAsync(stack, $"{name}-{i}", hostId, "NeverStop"));
        return vms;
    }

    /// <summary>
    /// Starts on the other hosts take a moment while the returned scope lasts, so restarts are caught
    /// in flight (less than the stack's 0.4 s ping timeout: the other hosts must stay Connected).
    /// </summary>
    private async Task<IAsyncDisposable> SlowStartsElsewhereAsync(string failing)
    {
        var others = stack.FleetHostIds.Where(h => h != failing).ToList();
        foreach (var host in others) await stack.PostAsync<object>(stack.BackDoor, $"hosts/{host}/faults/slow", new { delayMs = 250 });
        return new Healing(stack, others);
    }

    private async Task RestartsInFlightAsync(List<VmView> vms)
    {
        try
        {
            await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"),
                list => list.Any(r => r.Status == RestartStatus.Starting && vms.Any(vm => vm.VmId == r.VmId)), Timeout, "restarts in flight");
        }
        catch (TimeoutException)
        {
            WriteServicesOutput();
            throw;
        }
    }

    /// <summary>The number of the broker node <paramref name="service"/>'s bus connection is on (its connection is named after its instance).</summary>
    private async Task<int> BrokerNodeOfAsync(ServiceProcess service)
    {
        var instance = await stack.GetAsync<ServiceIdentity>(service, "instance");
        var node = await Eventually.ReturnsAsync(() => stack.Servers.VirtualHost.NodeOfConnectionAsync(instance.InstanceId), n => n is not null, Timeout,
            $"the broker to list {service.Name}'s connection");
        // Nodes are named rabbitN@localhost by scripts/lib/haservers.sh.
        return int.Parse(node!["rabbit".Length..node!.IndexOf('@', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task AllRunElsewhereAsync(string failing, List<VmView> vms)
    {
        try
        {
            foreach (var vm in vms)
                await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
                    v => v is { State: "Running" } && v.HostId != failing, Timeout, $"{vm.Name} running elsewhere");
        }
        catch (TimeoutException)
        {
            // What HA made of each restart, what the services said and what the broker holds, so that a failure can be understood from the log alone.
            foreach (var restart in await stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts")) output.WriteLine(restart.ToString());
            WriteServicesOutput();
            output.WriteLine(await stack.Servers.VirtualHost.DescribeAsync(await stack.HaServers.BrokerAsync()));
            throw;
        }
        // The agent's truth, not only the control plane's: each runs exactly once.
        foreach (var vm in vms)
            Assert.Single(await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"), r => r.EndedAt is null);
    }

    private async Task AssertHandledOnceAsync(string failing)
    {
        var incidents = await Eventually.ReturnsAsync(() => IncidentsOfAsync(failing),
            list => list.Count == 1 && list[0].Status == IncidentStatus.Restarted, Timeout, $"one incident of {failing}, Restarted");
        output.WriteLine($"incident {incidents[0].IncidentId}: {incidents[0].Status}");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
        var parked = await stack.Servers.VirtualHost.ParkedMessagesAsync();
        if (parked.Count > 0) WriteServicesOutput();
        Assert.Empty(parked);
    }

    /// <summary>What each service said last, for a failure to be read from the test's output.</summary>
    private void WriteServicesOutput() =>
        output.WriteLine(string.Join('\n', stack.Services.Select(s => $"--- {s.Name} ---\n{s.RecentOutput}")));

    private Task<IReadOnlyList<Incident>> IncidentsOfAsync(string hostId) =>
        stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={hostId}");

    private async Task PowerOffAsync(string hostId) => await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/power-off", new { });

    /// <summary>Back in service, so the next test's VMs have room.</summary>
    private async Task PowerOnAsync(string hostId)
    {
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/power", new { on = true });
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{hostId}"), h => h.Status == "Connected", Timeout,
            $"{hostId} Connected again");
    }

    private sealed class Healing(ClusterHaStack stack, List<string> hosts) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var host in hosts) await stack.PostAsync<object>(stack.BackDoor, $"hosts/{host}/faults/heal", new { });
        }
    }
}
