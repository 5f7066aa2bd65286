using System.Net.Http.Json;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system for scenario tests: a simulated fleet (one HostAgent process) and the four
/// control-plane services, each its own process, on a private RabbitMQ virtual host and a private
/// database. Intervals are shortened so scenarios take seconds; the logic is the production logic.
/// </summary>
public sealed class ControlPlaneStack : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _heartbeatDirectory = Path.Combine(Path.GetTempPath(), "cloudbus-test-hb-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ServiceProcess> _processes = [];
    private PrivateServers? _servers;

    public static readonly string[] FleetHostIds = ["host-1", "host-2", "host-3"];

    public ServiceProcess Agent { get; private set; } = null!;
    public ServiceProcess NodeRegistry { get; private set; } = null!;
    public ServiceProcess HostMonitor { get; private set; } = null!;
    public ServiceProcess VmLifecycle { get; private set; } = null!;
    public ServiceProcess HaOrchestrator { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Settings shared by every service: broker, database, and short intervals.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        _servers = await PrivateServers.CreateAsync();
        Environment = _servers.ServiceEnvironment(
            ("Membership__HeartbeatInterval", "00:00:00.500"),
            ("HostMonitor__PingInterval", "00:00:00.500"),
            ("HostMonitor__PingTimeout", "00:00:00.400"),
            ("HostMonitor__SyncInterval", "00:00:01"),
            ("HostMonitor__MissingGracePeriod", "00:00:02"));

        Agent = Start("HostAgent", new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = string.Join(',', FleetHostIds),
            ["Simulated__Cluster"] = "cluster-a",
            ["Simulated__CpuCores"] = "16",
            ["Simulated__MemoryMib"] = "32768",
            ["Simulated__HeartbeatDirectory"] = _heartbeatDirectory,
        });
        NodeRegistry = Start("NodeRegistry", Environment);
        HostMonitor = Start("HostMonitor", Environment);
        VmLifecycle = Start("VmLifecycle", Environment);
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

    private ServiceProcess Start(string project, IReadOnlyDictionary<string, string> environment)
    {
        var process = ServiceProcess.Start(project, environment);
        _processes.Add(process);
        return process;
    }
}
