using System.Net.Http.Json;
using System.Text.Json;

namespace CloudBus.Bench.BadInput;

/// <summary>
/// `./bench.sh badinput`: the whole control plane with a small simulated fleet (3 hosts, one VM
/// created), then the bad-input suite over every route of the four services. Prints how many bad
/// requests were sent, how many were answered 5xx (must be 0), how many errors came without a
/// problem-details body, how many changing requests were accepted, and whether state changed (must be 0).
/// </summary>
public static class BadInputBenchmark
{
    private static readonly string[] HostIds = ["host-1", "host-2", "host-3"];
    private static readonly HttpClient Http = BenchSupport.AdminClient(TimeSpan.FromSeconds(60));

    public static Task<int> RunAsync() => BenchSupport.WithHeartbeatDirectoryAsync(MeasureAsync);

    private static async Task<int> MeasureAsync(string heartbeats)
    {
        var environment = BenchSupport.ServerEnvironment("badinput");
        var backDoor = BenchSupport.NewBackDoor();
        using var agent = BenchProcess.Start("HostAgent", new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = string.Join(',', HostIds), ["Simulated__HeartbeatDirectory"] = heartbeats,
            ["Simulated__BackDoorPort"] = BenchSupport.PortOf(backDoor),
        });
        using var registry = BenchProcess.Start("NodeRegistry", environment);
        using var monitor = BenchProcess.Start("HostMonitor", environment);
        using var lifecycle = BenchProcess.Start("VmLifecycle", environment);
        using var orchestrator = BenchProcess.Start("HaOrchestrator", new Dictionary<string, string>(environment) { ["Fencing__BmcPasswordFile"] = BenchSupport.UnusedBmcPasswordFile() });
        foreach (var process in new[] { agent, registry, monitor, lifecycle, orchestrator }) await process.WaitReadyAsync(Http, TimeSpan.FromSeconds(120));

        foreach (var hostId in HostIds)
            (await Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, "hosts"), new
            {
                hostId, agentAddress = agent.BaseAddress.ToString(), cluster = "cluster-a", cpuCores = 16, memoryMib = 32768,
            })).EnsureSuccessStatusCode();
        // Settled first: hosts going from Connecting to Connected during the run would read as a change.
        await BenchSupport.WaitAsync(async () => (await Http.GetFromJsonAsync<JsonElement>(new Uri(lifecycle.BaseAddress, "hosts")))
            .EnumerateArray().Count(h => h.GetProperty("status").GetString() == "Connected") == HostIds.Length, TimeSpan.FromSeconds(60), "every host Connected");
        using var created = await Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, "vms"), new { name = "bad-input-target", cpuCores = 1, memoryMib = 64, haLevel = "OnHostFailure", restartPriority = 1 });
        created.EnsureSuccessStatusCode();
        var vmId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("vmId").GetGuid();

        var report = await new BadInputSuite(Http).RunAsync(
            [("NodeRegistry", registry.BaseAddress), ("HostMonitor", monitor.BaseAddress), ("VmLifecycle", lifecycle.BaseAddress), ("HaOrchestrator", orchestrator.BaseAddress)],
            new KnownIds(HostIds[0], vmId, Guid.NewGuid(), "vm-lifecycle"),
            () => ControlPlaneState.ReadAsync(Http, lifecycle.BaseAddress, orchestrator.BaseAddress),
            progress => Console.Error.WriteLine($"[bench] {progress}"));

        if (report.Describe().Trim() is { Length: > 0 } wrong) Console.Error.WriteLine(wrong);
        BenchSupport.Print("badinput.requests", report.Requests);
        BenchSupport.Print("badinput.server_errors", report.ServerErrors.Count);
        BenchSupport.Print("badinput.errors_without_problem", report.ErrorsWithoutProblem.Count);
        BenchSupport.Print("badinput.changes_accepted", report.ChangesAccepted.Count);
        BenchSupport.Print("badinput.rejected_by_http_server", report.RejectedByHttpServer);
        BenchSupport.Print("badinput.state_changed", report.StateChanged ? 1 : 0);
        return report.ServerErrors.Count == 0 && report.ErrorsWithoutProblem.Count == 0 && report.ChangesAccepted.Count == 0 && !report.StateChanged ? 0 : 1;
    }
}
