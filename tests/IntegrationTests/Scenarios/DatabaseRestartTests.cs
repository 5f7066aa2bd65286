using System.Net.Http.Json;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Tracing;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// The PostgreSQL server itself restarts under the running stack, which reaches it through a
/// multi-host connection string as it would a failover cluster (the client side of a failover:
/// every session ends with 57P01, connections are refused for a while, the client finds no
/// suitable host, then a fresh primary answers). Afterwards nothing may be parked, membership and
/// the rings go on, and a host failure is handled as before.
/// </summary>
public sealed class DatabaseRestartTests(TwoNodeDatabaseHaStack stack, ITestOutputHelper output) : IClassFixture<TwoNodeDatabaseHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan DownFor = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task After_a_database_restart_nothing_is_parked_membership_goes_on_and_a_host_failure_is_handled()
    {
        await stack.RegisterFleetAsync();
        const string failing = "host-2";
        var vm = await HaVms.StartAsync(stack, "db-restart", failing, "OnHostFailure");

        await PostgresServer.RestartAsync(DownFor);
        var restartedAt = DateTimeOffset.UtcNow;

        // Membership: every instance's heartbeats are recorded again and the leader evaluates again.
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<MemberView>>(stack.NodeRegistry, "members"),
            members => members.Count == stack.Services.Count() && members.All(m => m.LastHeartbeatAt > restartedAt), Timeout,
            "every instance's heartbeat recorded after the restart");
        await Eventually.ReturnsAsync(() => stack.GetAsync<RegistryView>(stack.NodeRegistry, "registry"),
            r => r.IsLeader && r.LeaderRenewedAt > restartedAt, Timeout, "the NodeRegistry leader to evaluate again");
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<RingView>>(stack.NodeRegistry, "rings"),
            rings => rings.Sum(r => r.Members.Count) == stack.Services.Count(), Timeout, "every instance in its service's ring");

        // A host failure after the restart runs its whole course.
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/faults/power-off", new { });
        var restarted = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v is { State: "Running" } && v.HostId != failing, Timeout, "the HA VM to run elsewhere");
        output.WriteLine($"restarted on {restarted.HostId}");
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={failing}"),
            list => list.Count == 1 && list[0].Status == IncidentStatus.Restarted, Timeout, "one incident, Restarted");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));

        var parked = await stack.Servers.VirtualHost.ParkedMessagesAsync();
        if (parked.Count > 0) output.WriteLine(string.Join('\n', stack.Services.Select(s => $"--- {s.Name} ---\n{s.RecentOutput}")));
        Assert.Empty(parked);
        await PowerOnAsync(failing);
    }

    [Fact]
    public async Task A_start_whose_end_could_not_be_stored_while_the_database_was_down_is_settled_once_it_is_back()
    {
        await stack.RegisterFleetAsync();
        const string slowHost = "host-1";
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = $"unrecorded-{Guid.NewGuid().ToString("N")[..6]}", cpuCores = 1, memoryMib = 256 });
        await using var bus = await TestBus.StartAsync(stack.Environment);
        var completions = await bus.CaptureAsync<VmCommandCompleted>();

        // The host starts the VM at once and answers 5 s later; by then the database is down (for
        // 8 s), so the instance running the start cannot store its end and answers with the error.
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{slowHost}/faults/slow", new { delayMs = 5_000 });
        var start = stack.Http.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, $"vms/{vm.VmId}/start"), new { hostId = slowHost });
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"),
            runs => runs.Count == 1, Timeout, $"the VM to run on {slowHost}");
        await PostgresServer.RestartAsync(TimeSpan.FromSeconds(8));
        using (var answered = await start)
            Assert.False(answered.IsSuccessStatusCode, $"the start's end was stored after all ({answered.StatusCode}): the database came back too early for this test");
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{slowHost}/faults/heal", new { });

        // Not left Starting (and skipped by sync) for good: the instance settles what it gave up on.
        var settled = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Running", Timeout, "the start settled as Running");
        Assert.Equal((slowHost, 1L), (settled.HostId, settled.Incarnation));
        Assert.Contains("gave up on start", settled.StateReason);
        await completions.WaitForAsync(c => c.VmId == vm.VmId && c.Operation == VmOperationKind.Start && c.Outcome == VmCommandOutcome.Done, Timeout,
            "the start's end announced");
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<TraceSkip>>(stack.HostMonitor, "trace-skips"),
            skips => skips.All(s => s.VmId != vm.VmId), Timeout, "sync to trace the VM again");
        Assert.Single(await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"));
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{slowHost}"),
            h => h.Status == "Connected", Timeout, $"{slowHost} Connected again");
    }

    private async Task PowerOnAsync(string hostId)
    {
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/power", new { on = true });
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{hostId}"),
            h => h.Status == "Connected", Timeout, $"{hostId} Connected again");
    }

    private sealed record MemberView(string Service, string InstanceId, DateTimeOffset LastHeartbeatAt);

    private sealed record RingView(string Service, long Epoch, IReadOnlyList<string> Members);

    private sealed record RegistryView(string InstanceId, bool IsLeader, string? Leader, DateTimeOffset? LeaderRenewedAt);
}
