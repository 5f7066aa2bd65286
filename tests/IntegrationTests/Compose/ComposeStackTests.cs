using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Security;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Compose;

/// <summary>
/// docker-compose.yml, the way a user with Docker runs it: the service images built from
/// deploy/Dockerfile, <c>up</c>, every service healthy, the simulated fleet registered with its
/// BMCs, a host powered off and its HA VMs running elsewhere (fenced through IPMI, never run
/// twice, one trace for the incident across the services), HostMonitor scaled to two instances
/// that share the hosts, and <c>down -v</c> leaving nothing behind. Only Jaeger is replaced, by an
/// OTLP stand-in (otlp-stand-in.compose.yml), because no Jaeger image can be had without a registry.
/// </summary>
public sealed class ComposeStackTests(ITestOutputHelper output)
{
    private static readonly string[] FleetHosts = ["host-1", "host-2", "host-3", "host-4"];
    private static readonly string[] ServicesWithHealthChecks =
        ["rabbitmq", "postgres", "node-registry", "host-monitor", "vm-lifecycle", "ha-orchestrator", "host-agent", "console"];

    /// <summary>docker-compose.yml's defaults: host n (from 0) has its BMC on UDP 6230 + n of the host-agent container.</summary>
    private const int FirstBmcPort = 6230;
    private const string FailingHost = "host-2";
    private const string BackDoor = "http://127.0.0.1:9090";

    /// <summary>Production timings (the stack's defaults): detection, investigation and fencing take tens of seconds.</summary>
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromMinutes(3);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task The_compose_stack_builds_starts_fails_over_through_ipmi_scales_and_goes_away()
    {
        var received = Directory.CreateTempSubdirectory("cloudbus-compose-otlp-").FullName;
        try
        {
            await using var project = await ComposeProject.CreateAsync(
                [Path.Combine(ServiceBinaries.RepositoryRoot, "tests", "IntegrationTests", "Compose", "otlp-stand-in.compose.yml")],
                [
                    new("CLOUDBUS_OTLP_STAND_IN_BINARIES", Path.GetDirectoryName(ServiceBinaries.ToolDllOf("OtlpStandIn"))!),
                    new("CLOUDBUS_OTLP_STAND_IN_RECEIVED", received),
                ]);
            try
            {
                await RunScenarioAsync(project, received);
            }
            catch
            {
                await WriteDiagnosticsAsync(project);
                throw;
            }

            await project.DownAsync();
            Log("down -v");
            Assert.Empty(await project.LeftoversAsync());
        }
        finally
        {
            Directory.Delete(received, recursive: true);
        }
    }

    private async Task RunScenarioAsync(ComposeProject project, string received)
    {
        await project.RunAsync(TimeSpan.FromMinutes(20), "docker-compose build", "build");
        Log("images built");
        await project.RunAsync(TimeSpan.FromMinutes(5), "docker-compose up -d", "up", "-d", "--no-build");
        await WaitUntilHealthyAsync(project, expectedPerService: 1);
        Log("every service healthy");
        // Published on loopback only, as docker-compose.yml promises (CLOUDBUS_BIND_ADDRESS).
        var published = await project.PublishedPortsAsync();
        Assert.NotEmpty(published);
        Assert.All(published, binding => Assert.StartsWith("127.0.0.1:", binding, StringComparison.Ordinal));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorTokens.Mint(
            SecretFile.Read(project.SigningKeyFile, "signing key"), "compose-test", OperatorRoles.Admin, TimeSpan.FromHours(1), DateTimeOffset.UtcNow));
        var vmLifecycle = await project.PublishedAsync("vm-lifecycle", 8080);
        var haOrchestrator = await project.PublishedAsync("ha-orchestrator", 8080);
        var nodeRegistry = await project.PublishedAsync("node-registry", 8080);

        // The fleet, as deploy/README.md tells a user to register it: the addresses the containers reach.
        for (var n = 0; n < FleetHosts.Length; n++)
        {
            await http.PostJsonAsync<HostView>(vmLifecycle, "hosts", new
            {
                hostId = FleetHosts[n], agentAddress = "http://host-agent:8080/", cluster = "cluster-a", cpuCores = 16, memoryMib = 32768,
                tags = Array.Empty<string>(), bmcAddress = $"host-agent:{FirstBmcPort + n}",
            });
        }

        foreach (var host in FleetHosts)
            await Eventually.ReturnsAsync(() => http.GetJsonAsync<HostView>(vmLifecycle, $"hosts/{host}"), h => h.Status == "Connected",
                TimeSpan.FromMinutes(1), $"{host} connected");
        Log("fleet registered and connected");

        var vms = new List<VmView>();
        for (var i = 0; i < 3; i++)
        {
            var vm = await http.PostJsonAsync<VmView>(vmLifecycle, "vms", new { name = $"compose-web-{i}", cpuCores = 2, memoryMib = 2048, haLevel = "OnHostFailure", restartPriority = 10 });
            vms.Add(await http.PostJsonAsync<VmView>(vmLifecycle, $"vms/{vm.VmId}/start", new { hostId = FailingHost }));
        }

        foreach (var vm in vms)
            await Eventually.ReturnsAsync(() => http.GetJsonAsync<VmView>(vmLifecycle, $"vms/{vm.VmId}"), v => v is { State: "Running" },
                TimeSpan.FromMinutes(1), $"VM {vm.Name} running on {FailingHost}");
        Log($"{vms.Count} HA VMs running on {FailingHost}");

        // The host loses power (the simulation's back door, inside the agent's container).
        await project.ExecAsync("host-agent", "curl", "-fsS", "-X", "POST", "-H", "Content-Type: application/json", "-d", "{}",
            $"{BackDoor}/hosts/{FailingHost}/faults/power-off");
        Log($"{FailingHost} powered off");

        foreach (var vm in vms)
        {
            var restarted = await Eventually.ReturnsAsync(() => http.GetJsonAsync<VmView>(vmLifecycle, $"vms/{vm.VmId}"),
                v => v is { State: "Running" } && v.HostId != FailingHost, FailoverTimeout, $"VM {vm.Name} running on another host");
            output.WriteLine($"  {vm.Name} runs on {restarted.HostId}");
        }

        Log("every HA VM running elsewhere");

        var listed = Assert.Single(await http.GetJsonAsync<IReadOnlyList<Incident>>(haOrchestrator, $"incidents?hostId={FailingHost}"));
        var incident = await Eventually.ReturnsAsync(() => http.GetJsonAsync<Incident>(haOrchestrator, $"incidents/{listed.IncidentId}"),
            i => i.Status == IncidentStatus.Restarted, TimeSpan.FromMinutes(1), "the incident to end restarted");
        var fenced = Assert.Single(incident.Timeline, s => s.Step == "Fenced");
        output.WriteLine($"  fenced: {fenced.Detail}; evidence: {string.Join("; ", fenced.Evidence)}");
        Assert.Equal("proven fenced by BMC power off", fenced.Detail);

        // The web console's proxy reads the same incident with the operator's token, from its own container.
        var console = await project.PublishedAsync("console", 8080);
        var shown = await http.GetJsonAsync<Incident>(console, $"api/ha-orchestrator/incidents/{incident.IncidentId}");
        Assert.Equal(IncidentStatus.Restarted, shown.Status);

        var doubleRuns = JsonSerializer.Deserialize<IReadOnlyList<DoubleRun>>(
            await project.ExecAsync("host-agent", "curl", "-fsS", $"{BackDoor}/audit/double-runs"), Json.Options);
        Assert.NotNull(doubleRuns);
        Assert.Empty(doubleRuns);

        // One trace for the incident, across the services, in what the stack exported.
        Assert.NotNull(incident.TraceId);
        var services = await Eventually.ReturnsAsync(
            () => Task.FromResult(ReceivedSpans(received).Where(s => s.TraceId == incident.TraceId).Select(s => s.Service).ToHashSet()),
            inTrace => inTrace.IsSupersetOf(["host-monitor", "ha-orchestrator", "vm-lifecycle"]),
            TimeSpan.FromMinutes(1), $"spans of host-monitor, ha-orchestrator and vm-lifecycle in the incident's trace {incident.TraceId}");
        Log($"incident trace exported by {string.Join(", ", services.Order())}");

        // Scaling: a second HostMonitor joins the ring, both instances see the same ring of two, and
        // every host is watched by exactly one of them. Not necessarily one each: the ring hashes the
        // host ids, and four hosts all land on one of two members about one time in eight.
        await project.RunAsync(TimeSpan.FromMinutes(3), "docker-compose up --scale host-monitor=2",
            "up", "-d", "--no-build", "--no-recreate", "--scale", "host-monitor=2");
        await WaitUntilHealthyAsync(project, expectedPerService: 1, scaled: ("host-monitor", 2));
        var monitors = new[] { await project.PublishedAsync("host-monitor", 8080, 1), await project.PublishedAsync("host-monitor", 8080, 2) };
        var routes = await Eventually.ReturnsAsync(
            async () => await Task.WhenAll(monitors.Select(m => http.GetJsonAsync<RoutingView>(m, "routing"))),
            views => views.Select(v => v.Epoch).Distinct().Count() == 1
                     && views.All(v => v.Members.Order().SequenceEqual(views.Select(x => x.InstanceId).Order())),
            TimeSpan.FromMinutes(1), "both host-monitor instances on one ring of the two of them");
        var ring = await http.GetJsonAsync<RingView>(nodeRegistry, "rings/host-monitor");
        Assert.Equal(routes.Select(r => r.InstanceId).Order(), ring.Members.Order());
        // Each instance's hosts as "host-1,host-3": the failure message shows who watches what.
        var watched = await Eventually.ReturnsAsync(
            async () => (await Task.WhenAll(monitors.Select(m => http.GetJsonAsync<IReadOnlyList<HostSnapshot>>(m, "hosts"))))
                .Select(hosts => string.Join(',', hosts.Select(h => h.HostId).Order())).ToList(),
            perInstance => perInstance.SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries)).Order().SequenceEqual(FleetHosts),
            TimeSpan.FromMinutes(1), "every host watched by exactly one of the two host-monitor instances");
        Log($"host-monitor scaled to 2 (ring epoch {ring.Epoch}, members {string.Join(", ", ring.Members)}): {string.Join(" | ", watched)}");
    }

    private static async Task WaitUntilHealthyAsync(ComposeProject project, int expectedPerService, (string Service, int Count)? scaled = null)
    {
        int Expected(string service) => scaled is { } s && s.Service == service ? s.Count : expectedPerService;
        await Eventually.ReturnsAsync(project.ContainersAsync,
            containers =>
            {
                if (containers.FirstOrDefault(c => c.State is "exited" or "dead" || c.Health == "unhealthy") is { } broken)
                    throw new InvalidOperationException($"{broken.Name} is {broken.State} ({broken.Health ?? "no health check"}).");
                return ServicesWithHealthChecks.All(service => containers.Count(c => c.Service == service && c.Health == "healthy") == Expected(service));
            },
            TimeSpan.FromMinutes(5), "every service of the stack healthy",
            // Every probe inspects each container: often enough, and it would starve the engine (and its health checks) on 2 cores.
            pollInterval: TimeSpan.FromSeconds(2));
    }

    /// <summary>Every span in the exports the stand-in wrote (finished files only: it renames a file into place once whole).</summary>
    private static List<OtlpSpan> ReceivedSpans(string folder) =>
        Directory.GetFiles(folder, "traces-*.pb").SelectMany(f => OtlpTraceReader.Spans(File.ReadAllBytes(f))).ToList();

    private async Task WriteDiagnosticsAsync(ComposeProject project)
    {
        try
        {
            foreach (var container in await project.ContainersAsync())
                output.WriteLine($"{container.Name}: {container.State} {container.Health}");
            foreach (var service in ServicesWithHealthChecks.Append("jaeger"))
                output.WriteLine(await project.RunAsync(TimeSpan.FromMinutes(1), $"docker-compose logs {service}", "logs", "--no-color", "--tail", "40", service));
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            output.WriteLine($"(no diagnostics: {exception.Message})");
        }
    }

    private void Log(string step) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {step}");

    private sealed record RingView(string Service, long Epoch, IReadOnlyList<string> Members);
}
