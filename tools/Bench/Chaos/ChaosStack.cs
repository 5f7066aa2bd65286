using System.Net.Http.Json;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// The system under chaos: a simulated fleet of 12 hosts in one HostAgent process, a simulated BMC
/// per host, and two instances of every control-plane service, each its own process (Release
/// build) on the servers ./bench.sh started; 48 HA-enabled VMs spread over the fleet. The fleet's
/// agent is the hardware, not the control plane: the chaos breaks its hosts, never the process.
/// </summary>
public sealed class ChaosStack(ChaosLog log, AlertLines alerts, string heartbeats) : IAsyncDisposable
{
    public const int HostCount = 12;
    public const int CoresPerHost = 16;
    private const int MemoryMibPerHost = 32768;
    public const int VmCount = 48;
    public const int CoresPerVm = 2;
    private const int MemoryMibPerVm = 2048;
    public const int InstancesPerService = 2;
    public static readonly string[] ServiceNames = ["NodeRegistry", "HostMonitor", "VmLifecycle", "HaOrchestrator"];

    private readonly List<ChaosService> _all = [];
    private SimulatedBmcScript? _bmcs;
    private readonly Uri _backDoor = BenchSupport.NewBackDoor();

    /// <summary>For the chaos's reads and the fault back door: a call that takes longer is an answer too (nobody there).</summary>
    public HttpClient Http { get; } = BenchSupport.AdminClient(TimeSpan.FromSeconds(10));
    /// <summary>For the setup's operations (a VM start waits for its host and two commits), on a machine that may be loaded.</summary>
    private readonly HttpClient _setupHttp = BenchSupport.AdminClient(TimeSpan.FromSeconds(60));
    public IReadOnlyList<string> HostIds { get; } = [.. Enumerable.Range(1, HostCount).Select(i => $"host-{i:00}")];
    public ChaosService Agent { get; private set; } = null!;
    public IReadOnlyDictionary<string, IReadOnlyList<ChaosService>> Instances { get; private set; } = new Dictionary<string, IReadOnlyList<ChaosService>>();
    public IReadOnlyList<Guid> Vms { get; private set; } = [];

    /// <summary>Every instance of every control-plane service.</summary>
    public IEnumerable<ChaosService> Services => Instances.Values.SelectMany(instances => instances);

    public async Task StartAsync()
    {
        // Real hosts do not share their CPU with the control plane. The simulated fleet does, and a
        // stalled agent process stops every host's storage heartbeat at once: past the self-fence
        // time, all of them fence themselves. So the fleet runs ahead of the services for the CPU.
        Agent = Track(new ChaosService("HostAgent", 1, new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = string.Join(',', HostIds), ["Simulated__CpuCores"] = $"{CoresPerHost}", ["Simulated__MemoryMib"] = $"{MemoryMibPerHost}",
            ["Simulated__HeartbeatDirectory"] = heartbeats, ["Simulated__BackDoorPort"] = BenchSupport.PortOf(_backDoor),
        }, log, notable: line => line.Contains("self-fenced", StringComparison.Ordinal), niceness: -10));
        await Agent.StartAsync(Http);
        _bmcs = await SimulatedBmcScript.StartAsync(_backDoor, HostIds);

        var environment = new Dictionary<string, string>(BenchSupport.ServerEnvironment("chaos")) { ["Fencing__BmcPasswordFile"] = _bmcs.PasswordFile };
        foreach (var (key, value) in HaSettings.Environment) environment[key] = value;
        Instances = ServiceNames.ToDictionary(name => name,
            IReadOnlyList<ChaosService> (name) => [.. Enumerable.Range(1, InstancesPerService).Select(i => Track(new ChaosService(name, i, environment, log, alerts.Offer)))]);
        await Task.WhenAll(Services.Select(service => service.StartAsync(Http)));
        log.Write($"{Services.Count()} service instances ready; registering {HostCount} hosts");

        await RegisterHostsAsync();
        Vms = await StartVmsAsync();
        log.Write($"{VmCount} HA VMs running");
    }

    /// <summary>GET from the first live instance of <paramref name="service"/> that answers (the other may be down or failing over).</summary>
    public async Task<T> GetAsync<T>(string service, string path)
    {
        Exception? last = null;
        foreach (var instance in Instances[service])
        {
            if (instance.Address is not { } address) continue;
            try
            {
                return (await Http.GetFromJsonAsync<T>(new Uri(address, path)))!;
            }
            catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
            {
                last = failure;
            }
        }
        throw new HttpRequestException($"no instance of {service} answered GET {path}", last);
    }

    /// <summary>GET on the fleet's back door (audit).</summary>
    public async Task<T> BackDoorGetAsync<T>(string path) => (await Http.GetFromJsonAsync<T>(new Uri(_backDoor, path)))!;

    /// <summary>POST on the fleet's back door (faults, power).</summary>
    public async Task BackDoorPostAsync(string path)
    {
        using var response = await Http.PostAsync(new Uri(_backDoor, path), null);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _all.Where(s => s != Agent)) service.Dispose();
        if (_bmcs is not null) await _bmcs.DisposeAsync(); // before the agent whose power their hook switches
        Agent?.Dispose();
        Http.Dispose();
        _setupHttp.Dispose();
    }

    private Uri AgentAddress => Agent.Address ?? throw new InvalidOperationException($"the fleet's HostAgent exited: see HostAgent-1.log in {log.Directory}");

    private ChaosService Track(ChaosService service)
    {
        _all.Add(service);
        return service;
    }

    private async Task RegisterHostsAsync()
    {
        foreach (var hostId in HostIds)
        {
            using var response = await PostAsync("VmLifecycle", "hosts", new
            {
                hostId, agentAddress = AgentAddress.ToString(), cluster = "cluster-a", cpuCores = CoresPerHost, memoryMib = MemoryMibPerHost,
                bmcAddress = _bmcs!.Addresses[hostId],
            });
        }
        await BenchSupport.WaitAsync(async () =>
            (await GetAsync<List<HostView>>("VmLifecycle", "hosts")).Count(h => h.Status == nameof(HostStatus.Connected)) == HostCount,
            TimeSpan.FromMinutes(2), "every host Connected");
    }

    /// <summary>Creates the VMs and starts them where placement puts them (the least loaded hosts: spread over the fleet).</summary>
    private async Task<List<Guid>> StartVmsAsync()
    {
        var vms = new List<Guid>();
        for (var i = 0; i < VmCount; i++)
        {
            using var created = await PostAsync("VmLifecycle", "vms",
                new { name = $"chaos-{i:00}", cpuCores = CoresPerVm, memoryMib = MemoryMibPerVm, haLevel = nameof(VmHaLevel.OnHostFailure), restartPriority = i % 4 });
            vms.Add((await created.Content.ReadFromJsonAsync<VmView>())!.VmId);
        }
        await Parallel.ForEachAsync(vms, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (vm, _) => (await PostAsync("VmLifecycle", $"vms/{vm}/start", new { })).Dispose());
        var wanted = vms.ToHashSet();
        await BenchSupport.WaitAsync(async () =>
            (await GetAsync<List<VmView>>("VmLifecycle", "vms")).Count(v => wanted.Contains(v.VmId) && v.State == nameof(VmState.Running)) == VmCount,
            TimeSpan.FromMinutes(2), "every VM Running");
        return vms;
    }

    /// <summary>POST to the first instance of <paramref name="service"/>: for the setup, before anything is killed.</summary>
    private async Task<HttpResponseMessage> PostAsync(string service, string path, object body)
    {
        var address = Instances[service][0].Address!;
        var response = await _setupHttp.PostAsJsonAsync(new Uri(address, path), body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path} on {service}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
