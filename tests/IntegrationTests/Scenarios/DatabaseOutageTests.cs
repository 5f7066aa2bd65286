using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// The database goes away for seconds while the system works (a restart, a failover): nothing
/// that happened meanwhile is lost, nothing is announced before it is stored, and nothing is left
/// parked in an error queue.
/// </summary>
public sealed class DatabaseOutageTests(StableRingHaStack stack, ITestOutputHelper output) : IClassFixture<StableRingHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_host_that_becomes_suspect_while_the_database_is_down_is_investigated_once_it_is_back_and_its_vms_restart()
    {
        await stack.RegisterFleetAsync();
        const string failing = "host-2";
        var vm = await HaVms.StartAsync(stack, "outage", failing, "OnHostFailure");
        await using var bus = await TestBus.StartAsync(stack.Environment);
        var suspicions = await bus.CaptureAsync<HostSuspected>();

        await stack.Servers.Database.SuspendAsync();
        try
        {
            await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/faults/power-off", new { });
            // Long enough for HostMonitor to miss its pings and try to record the suspicion several times.
            await Eventually.ReturnsAsync(() => stack.GetAsync<CloudBus.HostMonitor.Monitoring.HostSnapshot>(stack.HostMonitor, $"hosts/{failing}"),
                h => h.ConsecutiveMisses >= 6, Timeout, $"{failing} to miss six pings while the database is down");
        }
        finally
        {
            await stack.Servers.Database.ResumeAsync();
        }

        var restarted = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v is { State: "Running" } && v.HostId != failing, Timeout, "the HA VM to run elsewhere");
        output.WriteLine($"restarted on {restarted.HostId}");
        var incident = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={failing}"),
            list => list.Count == 1 && list[0].Status == IncidentStatus.Restarted, Timeout, "one incident, Restarted");
        Assert.Single(incident);
        Assert.Single(suspicions.Snapshot(), s => s.HostId == failing);
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{failing}"), h => h.Status == "Down", Timeout,
            "VmLifecycle to see the fenced host Down");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
        await PowerOnAsync(failing);
    }

    [Fact]
    public async Task A_database_outage_of_twenty_seconds_parks_no_message_and_every_service_is_ready_again()
    {
        await stack.RegisterFleetAsync();
        await stack.Servers.Database.SuspendAsync();
        try
        {
            // Heartbeats, host status and sync keep flowing to consumers that need the database.
            await Task.Delay(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await stack.Servers.Database.ResumeAsync();
        }

        foreach (var service in new[] { stack.NodeRegistry, stack.HostMonitor, stack.VmLifecycle, stack.HaOrchestrator })
            await service.WaitUntilReadyAsync(Timeout);
        // Give the retries that were waiting out the outage time to finish, then nothing may be left parked.
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<CloudBus.HostMonitor.Monitoring.HostSnapshot>>(stack.HostMonitor, "hosts"),
            hosts => hosts.All(h => h.Status == "Connected"), Timeout, "every host Connected");
        var parked = await stack.Servers.VirtualHost.ParkedMessagesAsync();
        if (parked.Count > 0) output.WriteLine(string.Join('\n', stack.Services.Select(s => $"--- {s.Name} ---\n{s.RecentOutput}")));
        Assert.Empty(parked);
    }

    private async Task PowerOnAsync(string hostId)
    {
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/power", new { on = true });
        await Eventually.ReturnsAsync(() => stack.GetAsync<CloudBus.HostMonitor.Monitoring.HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Status == "Connected", Timeout, $"{hostId} Connected again");
    }
}
