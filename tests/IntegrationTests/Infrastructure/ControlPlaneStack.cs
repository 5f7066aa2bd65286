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
    private readonly int _haOrchestrators;

    public ControlPlaneStack() : this(hostMonitors: 1, nodeRegistries: 1, fleetSize: 3)
    {
    }

    protected ControlPlaneStack(int hostMonitors, int nodeRegistries, int fleetSize, int vmLifecycles = 1, int haOrchestrators = 1)
    {
        _haOrchestrators = haOrchestrators;
        _hostMonitors = hostMonitors;
        _nodeRegistries = nodeRegistries;
        _vmLifecycles = vmLifecycles;
        FleetHostIds = Enumerable.Range(1, fleetSize).Select(i => $"host-{i}").ToArray();
    }

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _heartbeatDirectory = Path.Combine(Path.GetTempPath(), "cloudbus-test-hb-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ServiceProcess> _processes = [];
    private PrivateServers? _servers;
    private Dictionary<string, string> _haEnvironment = [];
    private string? _unusedBmcPasswordFile;

    /// <summary>The stack's private broker virtual host and database (for tests that cut connections).</summary>
    public PrivateServers Servers => _servers!;

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
    public IReadOnlyList<ServiceProcess> HaOrchestrators { get; private set; } = [];
    /// <summary>A live HaOrchestrator instance (a test may have killed the first).</summary>
    public ServiceProcess HaOrchestrator => HaOrchestrators.First(instance => !instance.HasExited);
    /// <summary>Every control-plane process of the stack (not the fleet), for tests that look at their output.</summary>
    public IEnumerable<ServiceProcess> Services => [.. NodeRegistries, .. HostMonitors, .. VmLifecycles, .. HaOrchestrators];

    /// <summary>The simulated fleet's back door (power, faults, fleet, audit): a loopback port of its own beside <see cref="Agent"/>'s.</summary>
    public Uri BackDoor { get; } = new($"http://127.0.0.1:{FreePort.Next()}/");

    /// <summary>One simulated BMC per fleet host, when the stack asks for them (<see cref="WithBmcs"/>).</summary>
    public SimulatedBmcs? Bmcs { get; private set; }
    public HttpClient Http { get; } = TestTokens.Client(TimeSpan.FromSeconds(30));

    /// <summary>Settings shared by every service: broker, database, and short intervals.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        _servers = await CreateServersAsync();
        Environment = _servers.ServiceEnvironment([
            ("Membership__HeartbeatInterval", HeartbeatInterval.ToString()),
            ("NodeRegistry__EvaluationInterval", HeartbeatInterval.ToString()),
            ("HostMonitor__PingInterval", PingInterval.ToString()),
            ("HostMonitor__PingTimeout", "00:00:00.400"),
            ("HostMonitor__SyncInterval", "00:00:01"),
            ("HostMonitor__MissingGracePeriod", "00:00:02"),
            .. ExtraSettings]);

        await StartFleetAsync(_heartbeatDirectory);
        NodeRegistries = Enumerable.Range(1, _nodeRegistries).Select(i => Start("NodeRegistry", Environment, $"NodeRegistry#{i}")).ToList();
        HostMonitors = Enumerable.Range(1, _hostMonitors).Select(i => Start("HostMonitor", Environment, $"HostMonitor#{i}")).ToList();
        VmLifecycles = Enumerable.Range(1, _vmLifecycles).Select(i => Start("VmLifecycle", Environment, $"VmLifecycle#{i}")).ToList();
        var haEnvironment = _haEnvironment = new Dictionary<string, string>(Environment);
        if (WithBmcs)
        {
            // A BMC answers only once the agent whose power it switches does.
            await Agent.WaitUntilReadyAsync(StartTimeout);
            Bmcs = await SimulatedBmcs.StartAsync(BackDoor, FleetHostIds);
            haEnvironment["Fencing__BmcPasswordFile"] = Bmcs.PasswordFile;
        }
        else
        {
            haEnvironment["Fencing__BmcPasswordFile"] = _unusedBmcPasswordFile = TestSecrets.NewRandomFile();
        }
        HaOrchestrators = Enumerable.Range(1, _haOrchestrators).Select(i => Start("HaOrchestrator", haEnvironment, $"HaOrchestrator#{i}")).ToList();
        await Task.WhenAll(_processes.Select(p => p.WaitUntilReadyAsync(StartTimeout)));
    }

    /// <summary>Starts the fleet's agents: by default one simulated fleet in one HostAgent process (<see cref="Agent"/>).</summary>
    /// <param name="heartbeatDirectory">The folder the hosts share for their storage heartbeats.</param>
    protected virtual Task StartFleetAsync(string heartbeatDirectory)
    {
        var agentEnvironment = new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = string.Join(',', FleetHostIds),
            ["Simulated__Cluster"] = "cluster-a",
            ["Simulated__CpuCores"] = "16",
            ["Simulated__MemoryMib"] = "32768",
            ["Simulated__HeartbeatDirectory"] = heartbeatDirectory,
            ["Simulated__BackDoorPort"] = BackDoor.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in AgentSettings) agentEnvironment[key] = value;
        Agent = Start("HostAgent", agentEnvironment);
        return Task.CompletedTask;
    }

    /// <summary>Where the agent of <paramref name="hostId"/> answers: by default the simulated fleet's one agent.</summary>
    protected virtual Uri AgentAddressOf(string hostId) => Agent.BaseAddress;

    /// <summary>The BMC addresses <paramref name="hostId"/> is registered with, in the order HA tries them: its simulated BMC, if the stack has them.</summary>
    protected virtual IReadOnlyList<string> BmcAddressesOf(string hostId) => Bmcs is null ? [] : [Bmcs.EndpointOf(hostId).ToString()];

    /// <summary>
    /// Registers a fleet host with VmLifecycle (which tells HostMonitor to watch it), unless an
    /// earlier test on the same stack already did.
    /// </summary>
    public Task EnsureHostRegisteredAsync(string hostId, params string[] tags) => EnsureHostRegisteredAsync(hostId, (IEnumerable<string>)tags);

    /// <returns>True when this call registered it.</returns>
    public async Task<bool> EnsureHostRegisteredAsync(string hostId, IEnumerable<string> tags)
    {
        var bmcs = BmcAddressesOf(hostId);
        using var response = await Http.PostAsJsonAsync(new Uri(VmLifecycle.BaseAddress, "hosts"), new
        {
            hostId, agentAddress = AgentAddressOf(hostId).ToString(), cluster = ClusterOf(hostId), cpuCores = HostCpuCores, memoryMib = 32768, tags,
            bmcAddress = bmcs.Count > 0 ? bmcs[0] : null, alternateBmcAddresses = bmcs.Skip(1).ToArray(),
        });
        if (response.StatusCode == System.Net.HttpStatusCode.Conflict) return false;
        await ApiAssert.SucceededAsync(response);
        return true;
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        if (Bmcs is not null) await Bmcs.DisposeAsync();
        if (_unusedBmcPasswordFile is not null) TestSecrets.Delete(_unusedBmcPasswordFile);
        if (_servers is not null) await _servers.DisposeAsync();
        if (Directory.Exists(_heartbeatDirectory)) Directory.Delete(_heartbeatDirectory, recursive: true);
        Http.Dispose();
    }

    /// <summary>
    /// Registers every fleet host and waits until <paramref name="lifecycle"/> (by default a live
    /// VmLifecycle instance) sees the hosts it registered Connected, so placement can use them.
    /// Hosts an earlier test on the same stack registered are left as that test left them (a
    /// failure scenario may have left its host Down).
    /// </summary>
    public async Task<ServiceProcess> RegisterFleetAsync(ServiceProcess? lifecycle = null)
    {
        lifecycle ??= VmLifecycle;
        var registered = new List<string>();
        foreach (var host in FleetHostIds)
            if (await EnsureHostRegisteredAsync(host, TagsOf(host))) registered.Add(host);
        await Eventually.ReturnsAsync(() => GetAsync<IReadOnlyList<CloudBus.VmLifecycle.Api.HostView>>(lifecycle, "hosts"),
            hosts => registered.All(id => hosts.Any(h => h.HostId == id && h.Status == "Connected")), TimeSpan.FromSeconds(30), "the fleet Connected");
        return lifecycle;
    }

    /// <summary>Starts one more HostMonitor instance (for example after killing the others) and waits until it is ready.</summary>
    public async Task<ServiceProcess> StartAnotherHostMonitorAsync()
    {
        var instance = Start("HostMonitor", Environment, $"HostMonitor#{HostMonitors.Count + 1}");
        HostMonitors = [.. HostMonitors, instance];
        await instance.WaitUntilReadyAsync(StartTimeout);
        return instance;
    }

    /// <summary>Starts one more VmLifecycle instance (for example after killing the others) and waits until it is ready.</summary>
    public async Task<ServiceProcess> StartAnotherVmLifecycleAsync()
    {
        var instance = Start("VmLifecycle", Environment, $"VmLifecycle#{VmLifecycles.Count + 1}");
        VmLifecycles = [.. VmLifecycles, instance];
        await instance.WaitUntilReadyAsync(StartTimeout);
        return instance;
    }

    /// <summary>Starts one more HaOrchestrator instance (for example after killing the others) and waits until it is ready.</summary>
    public async Task<ServiceProcess> StartAnotherHaOrchestratorAsync()
    {
        var instance = Start("HaOrchestrator", _haEnvironment, $"HaOrchestrator#{HaOrchestrators.Count + 1}");
        HaOrchestrators = [.. HaOrchestrators, instance];
        await instance.WaitUntilReadyAsync(StartTimeout);
        return instance;
    }

    /// <summary>The stack's private vhost and database: by default on the servers ./test.sh started.</summary>
    protected virtual Task<PrivateServers> CreateServersAsync() => PrivateServers.CreateAsync();

    /// <summary>
    /// Settings only <paramref name="project"/>'s processes get on top of the shared ones, such as
    /// an account of its own on the broker and the database. None by default: one shared account.
    /// </summary>
    protected virtual IEnumerable<(string Key, string Value)> AccountOf(string project) => [];

    /// <summary>Whether every fleet host gets a simulated BMC (ipmi_sim) that HaOrchestrator fences with.</summary>
    protected virtual bool WithBmcs => false;

    /// <summary>The tags a fleet host is registered with by <see cref="RegisterFleetAsync"/>.</summary>
    protected virtual IEnumerable<string> TagsOf(string hostId) => [];

    /// <summary>The cluster a fleet host is registered in (its storage is shared with that cluster's hosts only).</summary>
    public virtual string ClusterOf(string hostId) => "cluster-a";

    /// <summary>CPU cores each host is registered with (placement capacity).</summary>
    protected virtual int HostCpuCores => 16;

    /// <summary>Settings a subclass adds to the simulated fleet's (for example heartbeat and self-fence times).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> AgentSettings => [];

    /// <summary>Settings a subclass adds to (or changes in) every service's environment.</summary>
    protected virtual IEnumerable<(string Key, string Value)> ExtraSettings => [];

    public Task<T> GetAsync<T>(ServiceProcess service, string path) => GetAsync<T>(service.BaseAddress, path);

    public Task<T> GetAsync<T>(Uri address, string path) => Http.GetJsonAsync<T>(address, path);

    public Task<T> PostAsync<T>(ServiceProcess service, string path, object body) => PostAsync<T>(service.BaseAddress, path, body);

    public Task<T> PostAsync<T>(Uri address, string path, object body) => Http.PostJsonAsync<T>(address, path, body);

    /// <summary>Starts a process the stack stops when it is disposed.</summary>
    protected ServiceProcess Start(string project, IReadOnlyDictionary<string, string> environment, string? name = null, bool https = false)
    {
        var own = new Dictionary<string, string>(environment);
        foreach (var (key, value) in AccountOf(project)) own[key] = value;
        var process = ServiceProcess.Start(project, own, name, https);
        _processes.Add(process);
        return process;
    }
}
