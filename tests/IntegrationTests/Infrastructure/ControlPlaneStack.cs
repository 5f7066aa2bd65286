using System.Net.Http.Json;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system for scenario tests: a simulated fleet (one HostAgent process) and the four
/// control-plane services, each its own process, on a private RabbitMQ virtual host and a private
/// database. Intervals are shortened so scenarios take seconds; the logic is the production logic.
/// A subclass may run several instances of HostMonitor and NodeRegistry and a larger fleet.
/// </summary>
public class ControlPlaneStack : IAsyncLifetime
{
    private readonly int _hostMonitors;
    private readonly int _nodeRegistries;
    private readonly int _vmLifecycles;

    public ControlPlaneStack() : this(hostMonitors: 1, nodeRegistries: 1, fleetSize: 3)
    {
    }

    protected ControlPlaneStack(int hostMonitors, int nodeRegistries, int fleetSize, int vmLifecycles = 1)
    {
        _hostMonitors = hostMonitors;
        _nodeRegistries = nodeRegistries;
        _vmLifecycles = vmLifecycles;
        FleetHostIds = Enumerable.Range(1, fleetSize).Select(i => $"host-{i}").ToArray();
    }

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _heartbeatDirectory = Path.Combine(Path.GetTempPath(), "cloudbus-test-hb-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ServiceProcess> _processes = [];
    private PrivateServers? _servers;

    /// <summary>Short intervals: membership and pings every half second.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan PingInterval = TimeSpan.FromMilliseconds(500);

    public IReadOnlyList<string> FleetHostIds { get; }

    public ServiceProcess Agent { get; private set; } = null!;
    public IReadOnlyList<ServiceProcess> NodeRegistries { get; private set; } = [];
    public IReadOnlyList<ServiceProcess> HostMonitors { get; private set; } = [];
    public ServiceProcess NodeRegistry => NodeRegistries[0];
    public ServiceProcess HostMonitor => HostMonitors[0];
    public IReadOnlyList<ServiceProcess> VmLifecycles { get; private set; } = [];
    /// <summary>A live VmLifecycle instance (a test may have killed the first).</summary>
    public ServiceProcess VmLifecycle => VmLifecycles.First(instance => !instance.HasExited);
    public ServiceProcess HaOrchestrator { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Settings shared by every service: broker, database, and short intervals.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        _servers = await PrivateServers.CreateAsync();
        Environment = _servers.ServiceEnvironment([
            ("Membership__HeartbeatInterval", HeartbeatInterval.ToString()),
            ("NodeRegistry__EvaluationInterval", HeartbeatInterval.ToString()),
            ("HostMonitor__PingInterval", PingInterval.ToString()),
            ("HostMonitor__PingTimeout", "00:00:00.400"),
            ("HostMonitor__SyncInterval", "00:00:01"),
            ("HostMonitor__MissingGracePeriod", "00:00:02"),
            .. ExtraSettings]);

        Agent = Start("HostAgent", new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = string.Join(',', FleetHostIds),
            ["Simulated__Cluster"] = "cluster-a",
            ["Simulated__CpuCores"] = "16",
            ["Simulated__MemoryMib"] = "32768",
            ["Simulated__HeartbeatDirectory"] = _heartbeatDirectory,
        });
        NodeRegistries = Enumerable.Range(1, _nodeRegistries).Select(i => Start("NodeRegistry", Environment, $"NodeRegistry#{i}")).ToList();
        HostMonitors = Enumerable.Range(1, _hostMonitors).Select(i => Start("HostMonitor", Environment, $"HostMonitor#{i}")).ToList();
        VmLifecycles = Enumerable.Range(1, _vmLifecycles).Select(i => Start("VmLifecycle", Environment, $"VmLifecycle#{i}")).ToList();
        HaOrchestrator = Start("HaOrchestrator", Environment);
        await Task.WhenAll(_processes.Select(p => p.WaitUntilReadyAsync(StartTimeout)));
    }

    /// <summary>
    /// Registers a fleet host with VmLifecycle (which tells HostMonitor to watch it), unless an
    /// earlier test on the same stack already did.
    /// </summary>
    public async Task EnsureHostRegisteredAsync(string hostId, params string[] tags)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(VmLifecycle.BaseAddress, "hosts"), new
        {
            hostId, agentAddress = Agent.BaseAddress.ToString(), cluster = "cluster-a", cpuCores = 16, memoryMib = 32768, tags,
        });
        if (response.StatusCode != System.Net.HttpStatusCode.Conflict) await ApiAssert.SucceededAsync(response);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        if (_servers is not null) await _servers.DisposeAsync();
        if (Directory.Exists(_heartbeatDirectory)) Directory.Delete(_heartbeatDirectory, recursive: true);
        Http.Dispose();
    }

    /// <summary>
    /// Registers every fleet host and waits until <paramref name="lifecycle"/> (by default a live
    /// VmLifecycle instance) sees them Connected, so placement can use them.
    /// </summary>
    public async Task<ServiceProcess> RegisterFleetAsync(ServiceProcess? lifecycle = null)
    {
        lifecycle ??= VmLifecycle;
        foreach (var host in FleetHostIds) await EnsureHostRegisteredAsync(host);
        await Eventually.ReturnsAsync(() => GetAsync<IReadOnlyList<CloudBus.VmLifecycle.Api.HostView>>(lifecycle, "hosts"),
            hosts => FleetHostIds.All(id => hosts.Any(h => h.HostId == id && h.Status == "Connected")), TimeSpan.FromSeconds(30), "the fleet Connected");
        return lifecycle;
    }

    /// <summary>Settings a subclass adds to (or changes in) every service's environment.</summary>
    protected virtual IEnumerable<(string Key, string Value)> ExtraSettings => [];

    public async Task<T> GetAsync<T>(ServiceProcess service, string path) =>
        (await Http.GetFromJsonAsync<T>(new Uri(service.BaseAddress, path), Json.Options))!;

    public async Task<T> PostAsync<T>(ServiceProcess service, string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(service.BaseAddress, path), body);
        await ApiAssert.SucceededAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    private ServiceProcess Start(string project, IReadOnlyDictionary<string, string> environment, string? name = null)
    {
        var process = ServiceProcess.Start(project, environment, name);
        _processes.Add(process);
        return process;
    }
}
