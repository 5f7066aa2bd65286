using System.Net.Http.Json;
using System.Text.Json;

namespace CloudBus.Bench;

/// <summary>
/// HA on real hypervisors: three libvirt hosts (unprivileged libvirtd, QEMU domains under TCG,
/// a watchdog emulator each, one agent each with the Libvirt driver), the control plane with its
/// default settings, eight HA VMs on the first host, which then loses its power (agent, libvirtd
/// and qemu processes killed at once). No BMCs: the host is fenced by its watchdog-backed
/// self-fence. How long until every VM runs as a domain on another host, and how many VMs libvirt
/// itself ever listed on two hosts at once (must be 0).
/// </summary>
public static class HaLibvirtBenchmark
{
    private const int VmCount = 8;
    private static readonly string[] HostIds = ["kvm-1", "kvm-2", "kvm-3"];
    private static readonly string Victim = HostIds[0];
    private static readonly TimeSpan Objective = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = BenchSupport.AdminClient(TimeSpan.FromSeconds(60));

    public static Task<int> RunAsync() => BenchSupport.WithHeartbeatDirectoryAsync(MeasureAsync);

    private static async Task<int> MeasureAsync(string heartbeats)
    {
        var hosts = new Dictionary<string, LibvirtHostScript>();
        var agents = new List<BenchProcess>();
        // As on real hosts, agents and services speak mutual TLS, with certificates of a local CA.
        using var certificates = new LocalCertificates();
        using var agentHealth = certificates.HttpsClient(TimeSpan.FromSeconds(10));
        try
        {
            foreach (var hostId in HostIds)
            {
                var host = hosts[hostId] = await LibvirtHostScript.StartAsync();
                var agent = BenchProcess.Start("HostAgent", new Dictionary<string, string>(certificates.AgentSettings(hostId))
                {
                    ["HostAgent__Driver"] = "Libvirt", ["HostAgent__HostId"] = hostId, ["HostAgent__LibvirtUri"] = host.QemuUri,
                    ["HostAgent__HeartbeatDirectory"] = heartbeats, ["HostAgent__WatchdogDevice"] = host.WatchdogDevice,
                }, output: _ => { }, https: true);
                agents.Add(agent);
                await host.RecordAgentAsync(agent);
                await agent.WaitReadyAsync(agentHealth, TimeSpan.FromSeconds(120));
            }
            return await MeasureOnAsync(hosts, agents, certificates);
        }
        finally
        {
            foreach (var host in hosts.Values) await host.DisposeAsync();
            foreach (var agent in agents) agent.Dispose();
        }
    }

    private static async Task<int> MeasureOnAsync(Dictionary<string, LibvirtHostScript> hosts, List<BenchProcess> agents, LocalCertificates certificates)
    {
        var environment = BenchSupport.ServerEnvironment("ha-libvirt");
        // Each service that calls agents does so with a certificate of its own.
        Dictionary<string, string> WithCertificate(string service)
        {
            var own = new Dictionary<string, string>(environment);
            foreach (var (key, value) in certificates.ServiceSettings(service)) own[key] = value;
            return own;
        }
        using var registry = BenchProcess.Start("NodeRegistry", environment);
        using var monitor = BenchProcess.Start("HostMonitor", WithCertificate("HostMonitor"));
        using var lifecycle = BenchProcess.Start("VmLifecycle", WithCertificate("VmLifecycle"));
        // No BMCs here; the setting is required all the same.
        using var orchestrator = BenchProcess.Start("HaOrchestrator",
            new Dictionary<string, string>(WithCertificate("HaOrchestrator")) { ["Fencing__BmcPasswordFile"] = BenchSupport.UnusedBmcPasswordFile() });
        foreach (var process in new[] { registry, monitor, lifecycle, orchestrator }) await process.WaitReadyAsync(Http, TimeSpan.FromSeconds(120));
        await using var audit = new LibvirtFleetAudit(hosts.ToDictionary(h => h.Key, h => h.Value.QemuUri));

        for (var i = 0; i < HostIds.Length; i++)
        {
            using var registered = await Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, "hosts"), new
            {
                hostId = HostIds[i], agentAddress = agents[i].BaseAddress.ToString(), cluster = "cluster-a", cpuCores = 16, memoryMib = 32768,
            });
            registered.EnsureSuccessStatusCode();
        }
        await BenchSupport.WaitAsync(async () => (await Http.GetFromJsonAsync<JsonElement>(new Uri(lifecycle.BaseAddress, "hosts")))
            .EnumerateArray().All(h => h.GetProperty("status").GetString() == "Connected"), TimeSpan.FromMinutes(2), "every host Connected");

        var vms = new List<Guid>();
        for (var i = 0; i < VmCount; i++)
        {
            using var created = await Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, "vms"),
                new { name = $"kvm-bench-{i}", cpuCores = 1, memoryMib = 64, haLevel = "OnHostFailure" });
            created.EnsureSuccessStatusCode();
            var vm = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("vmId").GetGuid();
            using var started = await Http.PostAsJsonAsync(new Uri(lifecycle.BaseAddress, $"vms/{vm}/start"), new { hostId = Victim });
            started.EnsureSuccessStatusCode();
            vms.Add(vm);
        }
        await BenchSupport.WaitAsync(() => Task.FromResult(vms.All(vm => audit.HostsOf(vm.ToString()).Contains(Victim))),
            TimeSpan.FromMinutes(1), $"libvirt on {Victim} to run every VM");
        Console.Error.WriteLine($"[bench] {VmCount} HA VMs running as QEMU domains on {Victim}; cutting its power");

        var poweredOffAt = DateTimeOffset.UtcNow;
        await hosts[Victim].PowerOffAsync();
        await BenchSupport.WaitAsync(async () => await BenchSupport.RunningElsewhereAsync(Http, lifecycle, vms, Victim) == VmCount, TimeSpan.FromMinutes(3), "every VM running elsewhere");
        // Running for the control plane, and as a domain for libvirt.
        await BenchSupport.WaitAsync(() => Task.FromResult(vms.All(vm => audit.HostsOf(vm.ToString()).Count == 2)),
            TimeSpan.FromMinutes(1), "libvirt to run every VM on another host");
        var allRunning = (DateTimeOffset.UtcNow - poweredOffAt).TotalSeconds;

        BenchSupport.Print("ha_libvirt.all_running_s", allRunning);
        BenchSupport.Print("ha_libvirt.double_runs", audit.DoubleRuns.Count);
        BenchSupport.Print("ha_libvirt.all_running_over_objective", allRunning / Objective.TotalSeconds);
        foreach (var twice in audit.DoubleRuns) Console.Error.WriteLine($"[bench] double run: {twice}");
        return audit.DoubleRuns.Count == 0 ? 0 : 1;
    }

}
