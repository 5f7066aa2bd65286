using System.Text.Json;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Security;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Operate;

/// <summary>
/// The <c>cloudbus</c> commands on a running stack, run as an operator runs them (their own
/// process) against the whole system: reading it (tables by default, the services' records with
/// <c>--json</c>), operating VMs and hosts (with <c>--wait</c>), failure drills on the simulated
/// fleet, and exit codes a script can act on when an id is unknown, an operation is refused, the
/// token is missing, or the stack is not there.
/// </summary>
public sealed class CliStackCommandsTests(HaStack stack) : IClassFixture<HaStack>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A folder with no <c>.run/</c> in it or above: the commands find only what they are told.</summary>
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("cloudbus-cli-").FullName;

    [Fact]
    public async Task Status_hosts_vms_and_vm_show_read_the_stack_as_tables_and_as_json()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "cli-web", stack.FleetHostIds[0], "OnHostFailure");

        var status = await Json<JsonElement>("status", "--json");
        Assert.Equal(stack.FleetHostIds.Count, status.GetProperty("hosts").GetInt32());
        var services = status.GetProperty("rings").EnumerateArray().Select(r => r.GetProperty("service").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "host-monitor", "vm-lifecycle", "ha-orchestrator", "node-registry" }, services);

        var owner = await Json<JsonElement>("ring", "host-monitor", "--owner", stack.FleetHostIds[0], "--json");
        // The stack's one HostMonitor owns every host.
        Assert.Equal((await stack.GetAsync<RoutingView>(stack.HostMonitor, "routing")).InstanceId, owner.GetProperty("owner").GetString());
        Assert.Contains($"{stack.FleetHostIds[0]} belongs to", await SucceedsAsync("ring", "host-monitor", "--owner", stack.FleetHostIds[0]), StringComparison.Ordinal);

        var hosts = await Json<List<HostView>>("hosts", "--json");
        Assert.Equal(stack.FleetHostIds.Order(), hosts.Select(h => h.HostId).Order());
        var table = await SucceedsAsync("hosts");
        Assert.All(stack.FleetHostIds, host => Assert.Contains(host, table, StringComparison.Ordinal));
        Assert.Contains("STATUS", table, StringComparison.Ordinal);

        Assert.Contains(await Json<List<VmView>>("vms", "--json"), v => v.VmId == vm.VmId);
        var shown = await SucceedsAsync("vm", "show", vm.VmId.ToString());
        Assert.Contains(vm.Name, shown, StringComparison.Ordinal);
        Assert.Contains("OnHostFailure", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incident_is_followed_as_it_happens_then_shows_its_timeline_and_the_restarts_of_its_vms()
    {
        await stack.RegisterFleetAsync();
        var failing = stack.FleetHostIds[1];
        var vm = await HaVms.StartAsync(stack, "cli-incident", failing, "OnHostFailure");
        // Started before the failure, as an operator would right after hearing of it: it waits for the host's next incident.
        await using var watch = CliProcess.Start(_elsewhere, Environment(TestTokens.For(OperatorRoles.Viewer)),
            ["incident", "show", "--host", failing, "--watch", "--timeout", "90", .. Urls()]);
        await Eventually.ReturnsAsync(() => Task.FromResult(watch.Error), e => e.Contains($"waiting for an incident of {failing}", StringComparison.Ordinal),
            Timeout, "the watch waiting for an incident");
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/faults/power-off", new { });
        try
        {
            var followed = await watch.WaitAsync(TimeSpan.FromSeconds(100));
            Assert.True(followed.ExitCode == 0 && followed.Output.Contains("ended Restarted", StringComparison.Ordinal),
                $"exit {followed.ExitCode}:\n{followed.Output}\n{followed.Error}");
            Assert.Contains($"of {failing}, suspected", followed.Output, StringComparison.Ordinal);
            Assert.Contains("Fenced:", followed.Output, StringComparison.Ordinal);
            // Statuses are said on stderr as the watch sees them change (which ones depends on its 1 s polls); the last is the end.
            Assert.EndsWith("status: Restarted (verdict Down)", followed.Error.TrimEnd(), StringComparison.Ordinal);

            var incident = (await Json<List<Incident>>("incidents", "--host", failing, "--json"))[0];
            Assert.Equal(IncidentStatus.Restarted, incident.Status);
            var timeline = await SucceedsAsync("incident", "show", incident.IncidentId.ToString());
            Assert.Contains(failing, timeline, StringComparison.Ordinal);
            Assert.Contains("proven fenced by", timeline, StringComparison.Ordinal);
            Assert.Contains("+", timeline, StringComparison.Ordinal);
            var asJson = await Json<Incident>("incident", "show", "--host", failing, "--json");
            Assert.Equal(incident.IncidentId, asJson.IncidentId);
            Assert.Contains(asJson.Timeline, s => s.Step == "Fenced");
            // Each step the watch printed is one of the incident's timeline, in its order.
            Assert.Equal(asJson.Timeline.Select(s => s.Step), followed.Output.Split('\n')
                .Where(line => line.StartsWith("  +", StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf(" s  ", StringComparison.Ordinal) + 4)..line.IndexOf(": ", StringComparison.Ordinal)]));

            var restart = Assert.Single(await Json<List<RestartView>>("restarts", "--json"), r => r.VmId == vm.VmId && r.IncidentId == incident.IncidentId);
            Assert.NotEqual(failing, restart.RestartedOn);
            var closed = await RunAsync("incident", "approve", incident.IncidentId.ToString());
            Assert.Equal(6, closed.ExitCode);
            Assert.Contains("Nothing to approve", closed.Error, StringComparison.Ordinal);
        }
        finally
        {
            await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/faults/power-on", new { });
        }
    }

    [Fact]
    public async Task Status_watch_prints_the_status_again_when_it_changes_and_ends_when_stopped()
    {
        await stack.RegisterFleetAsync();
        await using var watch = CliProcess.Start(_elsewhere, Environment(TestTokens.For(OperatorRoles.Viewer)), ["status", "--watch", "--json", .. Urls()]);
        var first = await Eventually.ReturnsAsync(() => Task.FromResult(Snapshots(watch.Output)), s => s.Count >= 1, Timeout, "a first status");

        var created = await Json<VmView>("vm", "create", $"cli-watched-{Guid.NewGuid().ToString("N")[..6]}", "--memory-mib", "256", "--json");
        var changed = await Eventually.ReturnsAsync(() => Task.FromResult(Snapshots(watch.Output)),
            s => s[^1].GetProperty("vms").GetInt32() > first[^1].GetProperty("vms").GetInt32(), Timeout, "a status with the new VM");
        // Printed again because something changed, not every second: no two snapshots in a row are the same.
        Assert.All(changed.Zip(changed.Skip(1)), pair => Assert.NotEqual(pair.First.GetRawText(), pair.Second.GetRawText()));

        var ended = await watch.StopAsync(Timeout);
        Assert.True(ended.ExitCode == 0, $"exit {ended.ExitCode}: {ended.Error}");
        await RunAsync("vm", "destroy", created.VmId.ToString());
    }

    [Fact]
    public async Task A_vm_is_created_started_migrated_stopped_and_destroyed_with_wait_showing_its_way()
    {
        await stack.RegisterFleetAsync();
        var (from, to) = (stack.FleetHostIds[2], stack.FleetHostIds[3]);
        var created = await Json<VmView>("vm", "create", $"cli-ops-{Guid.NewGuid().ToString("N")[..6]}", "--cpu", "1", "--memory-mib", "256", "--ha", "OnHostFailure", "--json");
        Assert.Equal("Created", created.State);
        var id = created.VmId.ToString();

        var started = await RunAsync("vm", "start", id, "--host", from, "--wait", "--json");
        Assert.True(started.ExitCode == 0, started.Error);
        Assert.Equal(from, Deserialize<VmView>(started.Output).HostId);
        Assert.Contains("waiting until Running", started.Error, StringComparison.Ordinal);
        Assert.Contains("Running after", started.Error, StringComparison.Ordinal);

        var migrated = Deserialize<VmView>(await SucceedsAsync("vm", "migrate", id, "--to", to, "--wait", "--json"));
        Assert.Equal((to, "Running"), (migrated.HostId, migrated.State));

        Assert.Equal("NeverStop", (await Json<VmView>("vm", "ha", id, "--level", "NeverStop", "--priority", "5", "--json")).HaLevel);
        Assert.Equal("Stopped", (await Json<VmView>("vm", "stop", id, "--wait", "--json")).State);

        // A stopped VM cannot migrate: VmLifecycle refuses the transition and says why; the command exits 6.
        var refused = await RunAsync("vm", "migrate", id);
        Assert.Equal(6, refused.ExitCode);
        Assert.Contains("Illegal state transition", refused.Error, StringComparison.Ordinal);

        Assert.Equal("Destroyed", (await Json<VmView>("vm", "destroy", id, "--wait", "--json")).State);
    }

    [Fact]
    public async Task A_host_is_shown_taken_into_maintenance_and_back_and_cannot_be_registered_twice()
    {
        await stack.RegisterFleetAsync();
        var host = stack.FleetHostIds[0];
        Assert.Contains(host, await SucceedsAsync("host", "show", host), StringComparison.Ordinal);

        Assert.Contains("in maintenance (cli drill)", await SucceedsAsync("host", "maintenance", host, "--reason", "cli drill"), StringComparison.Ordinal);
        Assert.True((await Json<HostView>("host", "show", host, "--json")).InMaintenance);
        Assert.Contains("in service", await SucceedsAsync("host", "enable", host), StringComparison.Ordinal);
        Assert.False((await Json<HostView>("host", "show", host, "--json")).InMaintenance);

        var again = await RunAsync("host", "add", host, "--agent", stack.Agent.BaseAddress.ToString(), "--cluster", "cluster-a", "--cpu", "4", "--memory-mib", "4096");
        Assert.Equal(6, again.ExitCode);
        Assert.Contains($"Host {host} is already registered", again.Error, StringComparison.Ordinal);
        Assert.Equal(4, (await RunAsync("host", "show", "no-such-host")).ExitCode);
    }

    [Fact]
    public async Task A_sim_power_cut_is_handled_by_ha_and_the_audit_finds_no_double_run()
    {
        await stack.RegisterFleetAsync();
        var failing = stack.FleetHostIds[4];
        var vm = await HaVms.StartAsync(stack, "cli-sim", failing, "OnHostFailure");
        Assert.Contains($"{failing}: power off", await SucceedsAsync("sim", "power-off", failing), StringComparison.Ordinal);
        try
        {
            await Eventually.ReturnsAsync(async () => await Json<VmView>("vm", "show", vm.VmId.ToString(), "--json"),
                v => v.State == "Running" && v.HostId != failing, Timeout, "the VM running elsewhere, as `cloudbus vm show` shows it");
            Assert.Contains("0 double runs", await SucceedsAsync("sim", "double-runs"), StringComparison.Ordinal);
        }
        finally
        {
            Assert.Contains($"{failing}: power on", await SucceedsAsync("sim", "power-on", failing), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Instances_are_added_and_removed_on_the_local_stack_only_and_never_the_last_one()
    {
        // The stack's one HostMonitor, as NodeRegistry's ring has it, is not removed.
        var last = await RunAsync("instance", "remove", "host-monitor");
        Assert.Equal(6, last.ExitCode);
        Assert.Contains("host-monitor has 1 instance; the last one cannot be removed", last.Error, StringComparison.Ordinal);

        // A stack named by URLs is not ./up.sh's to change: the message says what scales it instead.
        var elsewhere = await RunAsync("instance", "add", "host-monitor");
        Assert.Equal(3, elsewhere.ExitCode);
        Assert.Contains("--scale host-monitor=3", elsewhere.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await RunAsync("instance", "add", "host-agent")).ExitCode);
    }

    [Fact]
    public async Task An_unknown_id_is_not_found_with_exit_code_4()
    {
        var unknown = Guid.NewGuid();
        var vm = await RunAsync("vm", "show", unknown.ToString());
        Assert.Equal(4, vm.ExitCode);
        Assert.Contains(unknown.ToString(), vm.Error, StringComparison.Ordinal);
        Assert.Equal(4, (await RunAsync("incident", "show", unknown.ToString())).ExitCode);
        Assert.Equal(4, (await RunAsync("ring", "no-such-service")).ExitCode);
        Assert.Equal(4, (await RunAsync("incident", "approve", unknown.ToString())).ExitCode);
        Assert.Equal(4, (await RunAsync("incident", "show", "--host", "never-failed")).ExitCode);
        var neither = await RunAsync("incident", "show");
        Assert.Equal(1, neither.ExitCode);
        Assert.Contains("Name an incident id or --host HOST", neither.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_the_services_refuse_with_exit_code_5_and_say_how_to_get_one()
    {
        var result = await CliProcess.RunInAsync(_elsewhere, Environment(token: null), ["hosts", .. Urls()]);
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("cloudbus token mint", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stack_that_is_not_there_is_exit_code_3_with_a_clear_message_and_an_instance_that_is_down_is_passed_over()
    {
        var down = $"http://127.0.0.1:{FreePort.Next()}/";
        var result = await CliProcess.RunInAsync(_elsewhere, Environment(TestTokens.For(OperatorRoles.Viewer)), "hosts", "--url", $"vm-lifecycle={down}");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"vm-lifecycle does not answer at {down}", result.Error, StringComparison.Ordinal);

        // Any instance of a service answers for it: one that is down is passed over for the next.
        var passedOver = await CliProcess.RunInAsync(_elsewhere, Environment(TestTokens.For(OperatorRoles.Viewer)),
            "hosts", "--json", "--url", $"vm-lifecycle={down}", "--url", $"vm-lifecycle={stack.VmLifecycle.BaseAddress}");
        Assert.True(passedOver.ExitCode == 0, passedOver.Error);
        Assert.Contains(stack.FleetHostIds[0], passedOver.Output, StringComparison.Ordinal);

        var nowhere = await CliProcess.RunInAsync(_elsewhere, Environment(TestTokens.For(OperatorRoles.Viewer)), "status");
        Assert.Equal(3, nowhere.ExitCode);
        Assert.Contains("no address for vm-lifecycle", nowhere.Error, StringComparison.Ordinal);
        Assert.Contains("./up.sh", nowhere.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_elsewhere, recursive: true);

    private string[] Urls() =>
    [
        "--url", $"vm-lifecycle={stack.VmLifecycle.BaseAddress}", "--url", $"host-monitor={stack.HostMonitor.BaseAddress}",
        "--url", $"node-registry={stack.NodeRegistry.BaseAddress}", "--url", $"ha-orchestrator={stack.HaOrchestrator.BaseAddress}",
        "--url", $"back-door={stack.BackDoor}",
    ];

    /// <summary>Only what the test gives: no CLOUDBUS_URLS or token file of the machine's own.</summary>
    private static Dictionary<string, string?> Environment(string? token) => new()
    {
        ["CLOUDBUS_TOKEN"] = token, ["CLOUDBUS_TOKEN_FILE"] = null, ["CLOUDBUS_URLS"] = null,
    };

    /// <summary>As an admin: the operations need an operator, registering a host an admin.</summary>
    private Task<ShellCommand.Result> RunAsync(params string[] arguments) =>
        CliProcess.RunInAsync(_elsewhere, Environment(TestTokens.For(OperatorRoles.Admin)), [.. arguments, .. Urls()]);

    private async Task<string> SucceedsAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"cloudbus {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}");
        return result.Output;
    }

    private async Task<T> Json<T>(params string[] arguments) => Deserialize<T>(await SucceedsAsync(arguments));

    private static T Deserialize<T>(string printed) =>
        JsonSerializer.Deserialize<T>(printed, Infrastructure.Json.Options) ?? throw new InvalidOperationException($"cloudbus printed null: {printed}");

    /// <summary>The statuses <c>status --watch --json</c> printed so far, one JSON document per line.</summary>
    private static List<JsonElement> Snapshots(string printed) =>
        [.. printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<JsonElement>(line))];
}
