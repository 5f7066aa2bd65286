using System.Text.Json;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Security;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Operate;

/// <summary>
/// The <c>cloudbus</c> commands that read a running stack, run as an operator runs them (their
/// own process) against the whole system: tables by default, the services' records with
/// <c>--json</c>, and exit codes a script can act on when an id is unknown, the token is missing,
/// or the stack is not there.
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
    public async Task An_incident_shows_its_timeline_and_the_restarts_of_its_vms()
    {
        await stack.RegisterFleetAsync();
        var failing = stack.FleetHostIds[1];
        var vm = await HaVms.StartAsync(stack, "cli-incident", failing, "OnHostFailure");
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/faults/power-off", new { });
        try
        {
            var incident = await Eventually.ReturnsAsync(
                async () => (await Json<List<Incident>>("incidents", "--host", failing, "--json")).FirstOrDefault(),
                i => i is { Status: IncidentStatus.Restarted }, Timeout, $"the incident of {failing} restarted, as `cloudbus incidents` lists it");

            var timeline = await SucceedsAsync("incident", "show", incident!.IncidentId.ToString());
            Assert.Contains(failing, timeline, StringComparison.Ordinal);
            Assert.Contains("Fenced", timeline, StringComparison.Ordinal);
            Assert.Contains("proven fenced by", timeline, StringComparison.Ordinal);
            Assert.Contains("+", timeline, StringComparison.Ordinal);
            var asJson = await Json<Incident>("incident", "show", incident.IncidentId.ToString(), "--json");
            Assert.Contains(asJson.Timeline, s => s.Step == "Fenced");

            var restart = Assert.Single(await Json<List<RestartView>>("restarts", "--json"), r => r.VmId == vm.VmId && r.IncidentId == incident.IncidentId);
            Assert.NotEqual(failing, restart.RestartedOn);
        }
        finally
        {
            await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/faults/power-on", new { });
        }
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
    }

    [Fact]
    public async Task Without_a_token_the_services_refuse_with_exit_code_5_and_say_how_to_get_one()
    {
        var result = await CliProcess.RunInAsync(_elsewhere, Environment(token: null), ["hosts", .. Urls()]);
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("cloudbus token mint", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stack_that_is_not_there_is_exit_code_3_with_a_clear_message()
    {
        var down = $"http://127.0.0.1:{FreePort.Next()}/";
        var result = await CliProcess.RunInAsync(_elsewhere, Environment(TestTokens.For(OperatorRoles.Viewer)), "hosts", "--url", $"vm-lifecycle={down}");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"vm-lifecycle does not answer at {down}", result.Error, StringComparison.Ordinal);

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
    ];

    /// <summary>Only what the test gives: no CLOUDBUS_URLS or token file of the machine's own.</summary>
    private static Dictionary<string, string?> Environment(string? token) => new()
    {
        ["CLOUDBUS_TOKEN"] = token, ["CLOUDBUS_TOKEN_FILE"] = null, ["CLOUDBUS_URLS"] = null,
    };

    private Task<CliProcess.Result> RunAsync(params string[] arguments) =>
        CliProcess.RunInAsync(_elsewhere, Environment(TestTokens.For(OperatorRoles.Viewer)), [.. arguments, .. Urls()]);

    private async Task<string> SucceedsAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"cloudbus {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}");
        return result.Output;
    }

    private async Task<T> Json<T>(params string[] arguments) =>
        JsonSerializer.Deserialize<T>(await SucceedsAsync(arguments), Infrastructure.Json.Options)
        ?? throw new InvalidOperationException($"cloudbus {string.Join(' ', arguments)} printed null");
}
