using System.Net.Http.Json;
using System.Text.Json;
using CloudBus.Messages.Hosts;

namespace CloudBus.Bench;

/// <summary>
/// The product's promise, measured: with default settings, a host carrying 200 HA-enabled VMs in
/// a fleet of 50 loses its power. How long until it is suspected, fenced (through its BMC,
/// ipmi_sim), and until the last of its VMs runs on another host; and how many VMs ever ran on
/// two hosts at once (must be 0). Every service is its own process (Release build).
/// </summary>
public static class HaBenchmark
{
    private const int HostCount = 50;
    private const int VmCount = 200;
    private const string Victim = "host-01";
    private const int CoresPerHost = 256;
    /// <summary>The goal the issue sets: every VM running again well under a minute, 30 s at most.</summary>
    private static readonly TimeSpan RestartObjective = TimeSpan.FromSeconds(30);
    /// <summary>Default ping interval times default misses before suspicion: the fastest detection possible.</summary>
    private static readonly TimeSpan IdealDetection = TimeSpan.FromSeconds(2 * 3);
    private static readonly HttpClient Http = BenchSupport.AdminClient(TimeSpan.FromSeconds(60));

    public static Task<int> RunAsync() => BenchSupport.WithHeartbeatDirectoryAsync(MeasureAsync);

    private static async Task<int> MeasureAsync(string heartbeats)
    {
        var environment = BenchSupport.ServerEnvironment("ha");
        var hostIds = Enumerable.Range(1, HostCount).Select(i => $"host-{i:00}").ToArray();

        var backDoor = BenchSupport.NewBackDoor();
        using var agent = BenchProcess.Start("HostAgent", new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = string.Join(',', hostIds), ["Simulated__CpuCores"] = $"{CoresPerHost}", ["Simulated__MemoryMib"] = "1048576",
            ["Simulated__HeartbeatDirectory"] = heartbeats, ["Simulated__BackDoorPort"] = BenchSupport.PortOf(backDoor),
        });
        await agent.WaitReadyAsync(Http, TimeSpan.FromSeconds(120));
        await using var bmcs = await SimulatedBmcScript.StartAsync(backDoor, hostIds);

        using var registry = BenchProcess.Start("NodeRegistry", environment);
        using var monitor = BenchProcess.Start("HostMonitor", environment);
        using var lifecycle = BenchProcess.Start("VmLifecycle", environment);
        using var orchestrator = BenchProcess.Start("HaOrchestrator", new Dictionary<string, string>(environment) { ["Fencing__BmcPasswordFile"] = bmcs.PasswordFile });
        foreach (var process in new[] { registry, monitor, lifecycle, orchestrator }) await process.WaitReadyAsync(Http, TimeSpan.FromSeconds(120));

        await RegisterHostsAsync(agent, lifecycle, hostIds, bmcs);
        var vms = await StartVmsAsync(lifecycle);
        Console.Error.WriteLine($"[bench] {VmCount} HA VMs running on {Victim}; powering it off");

        var poweredOffAt = DateTimeOffset.UtcNow;
        (await Http.PostAsync(new Uri(backDoor, $"hosts/{Victim}/faults/power-off"), null)).EnsureSuccessStatusCode();
        await BenchSupport.WaitAsync(async () => await BenchSupport.RunningElsewhereAsync(Http, lifecycle, vms, Victim) == VmCount, TimeSpan.FromMinutes(3), "every VM running elsewhere");
        var allRunningAt = await LastStartAsync(lifecycle, vms);

        var timeline = await TimelineAsync(orchestrator);
        var doubleRuns = (await Http.GetFromJsonAsync<JsonElement>(new Uri(backDoor, "audit/double-runs"))).GetArrayLength();
        var detect = (StepAt(timeline, "Suspected") - poweredOffAt).TotalSeconds;
        var allRunning = (allRunningAt - poweredOffAt).TotalSeconds;
        BenchSupport.Print("ha.detect_s", detect);
        BenchSupport.Print("ha.down_verdict_s", (StepAt(timeline, "Down") - poweredOffAt).TotalSeconds);
        BenchSupport.Print("ha.fence_s", (StepAt(timeline, "Fenced") - poweredOffAt).TotalSeconds);
        BenchSupport.Print("ha.all_running_s", allRunning);
        BenchSupport.Print("ha.double_runs", doubleRuns);
        BenchSupport.Print("ha.detect_over_ideal", detect / IdealDetection.TotalSeconds);
        BenchSupport.Print("ha.all_running_over_objective", allRunning / RestartObjective.TotalSeconds);
        return doubleRuns == 0 ? 0 : 1;
    }

    private static async Task RegisterHostsAsync(BenchProcess agent, BenchProcess lifecycle, string[] hostIds, SimulatedBmcScript bmcs)
    {
        foreach (var hostId in hostIds)
        {
            using var response = await Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, "hosts"), new
            {
                hostId, agentAddress = agent.BaseAddress.ToString(), cluster = "cluster-a", cpuCores = CoresPerHost, memoryMib = 1048576,
                bmcAddress = bmcs.Addresses[hostId],
            });
            response.EnsureSuccessStatusCode();
        }
        await BenchSupport.WaitAsync(async () =>
        {
            var hosts = await Http.GetFromJsonAsync<JsonElement>(new Uri(lifecycle.BaseAddress, "hosts"));
            return hosts.EnumerateArray().Count(h => h.GetProperty("status").GetString() == nameof(HostStatus.Connected)) == HostCount;
        }, TimeSpan.FromMinutes(2), "every host Connected");
    }

    private static async Task<List<Guid>> StartVmsAsync(BenchProcess lifecycle)
    {
        var vms = new List<Guid>();
        for (var i = 0; i < VmCount; i++)
        {
            using var created = await Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, "vms"),
                new { name = $"bench-{i:000}", cpuCores = 1, memoryMib = 512, haLevel = "OnHostFailure", restartPriority = i % 4 });
            created.EnsureSuccessStatusCode();
            vms.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("vmId").GetGuid());
        }
        await Parallel.ForEachAsync(vms, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (vm, ct) =>
        {
            using var started = await Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, $"vms/{vm}/start"), new { hostId = Victim }, ct);
            started.EnsureSuccessStatusCode();
        });
        return vms;
    }

    /// <summary>When the last of the VMs became Running, by VmLifecycle's own record.</summary>
    private static async Task<DateTimeOffset> LastStartAsync(BenchProcess lifecycle, List<Guid> vms)
    {
        var wanted = vms.ToHashSet();
        var all = await Http.GetFromJsonAsync<JsonElement>(new Uri(lifecycle.BaseAddress, "vms"));
        return all.EnumerateArray().Where(v => wanted.Contains(v.GetProperty("vmId").GetGuid())).Max(v => v.GetProperty("updatedAt").GetDateTimeOffset());
    }

    private static async Task<JsonElement> TimelineAsync(BenchProcess orchestrator)
    {
        var incidents = await Http.GetFromJsonAsync<JsonElement>(new Uri(orchestrator.BaseAddress, $"incidents?hostId={Victim}"));
        var incidentId = incidents.EnumerateArray().Single().GetProperty("incidentId").GetGuid();
        return (await Http.GetFromJsonAsync<JsonElement>(new Uri(orchestrator.BaseAddress, $"incidents/{incidentId}"))).GetProperty("timeline");
    }

    private static DateTimeOffset StepAt(JsonElement timeline, string step) =>
        timeline.EnumerateArray().First(s => s.GetProperty("step").GetString() == step).GetProperty("at").GetDateTimeOffset();
}
