using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The production-shaped servers of the control plane's own HA: a 3-node RabbitMQ cluster, 3 etcd
/// members and 2 PostgreSQL nodes under Patroni, started into a temporary folder by
/// scripts/ha-servers.sh (the code ./up.sh ha and the chaos benchmark use, so the logic lives in
/// one place) and stopped on dispose. Nodes are numbered from 1, as the script numbers them.
/// Shared by the test classes of <see cref="SharedHaServers"/>: starting takes ~40 s.
/// </summary>
public sealed partial class HaServers : IAsyncLifetime
{
    // The script waits up to 240 s itself (CLOUDBUS_HA_START_TIMEOUT) and reports what is stuck.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);
    private static readonly string Script = Path.Combine(ServiceBinaries.RepositoryRoot, "scripts", "ha-servers.sh");

    /// <summary>The servers' folder (logs of every node in it); removed on dispose.</summary>
    public string Directory { get; private set; } = "";

    /// <summary>How long the start from nothing took.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>The settings the script wrote to env.sh, by environment variable name.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; private set; } = new Dictionary<string, string>();

    public string RabbitHost => Settings["RabbitMq__Host"];
    public string RabbitUser => Settings["RabbitMq__Username"];
    public string RabbitPasswordFile => Settings["RabbitMq__PasswordFile"];
    public string RabbitPassword => File.ReadAllText(RabbitPasswordFile).Trim();

    /// <summary>The AMQP port of each broker node; node n at index n - 1.</summary>
    public IReadOnlyList<int> RabbitPorts => PortsOf(Settings["RabbitMq__ClusterNodes"]);

    /// <summary>The management API port of each broker node; node n at index n - 1.</summary>
    public IReadOnlyList<int> RabbitManagementPorts => Settings["RabbitMq__ManagementPorts"].Split(',').Select(ParsePort).ToList();

    /// <summary>Every PostgreSQL node, for the current primary only, with the password for the tests' own connections.</summary>
    public string PostgresConnectionString => new NpgsqlConnectionStringBuilder(Settings["Postgres__ConnectionString"])
    {
        Password = File.ReadAllText(PostgresPasswordFile).Trim(),
    }.ConnectionString;

    /// <summary>The file the services read the database password from.</summary>
    public string PostgresPasswordFile => Settings["Postgres__PasswordFile"];

    /// <summary>The port of each PostgreSQL node; node n at index n - 1.</summary>
    public IReadOnlyList<int> PostgresPorts => PortsOf(new NpgsqlConnectionStringBuilder(PostgresConnectionString).Host!);

    public async Task InitializeAsync()
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The HA servers run on Linux.");
        Directory = System.IO.Directory.CreateTempSubdirectory("cloudbus-ha-").FullName;
        var started = Stopwatch.StartNew();
        try
        {
            await RunAsync("start");
        }
        catch
        {
            // Half a cluster would outlive the test run.
            await DisposeAsync();
            throw;
        }
        StartDuration = started.Elapsed;
        Settings = await ReadSettingsAsync(Path.Combine(Directory, "env.sh"));
    }

    /// <summary>Starts whatever is not running (a test that failed before restarting a node it killed).</summary>
    public Task EnsureAllRunningAsync() => RunAsync("start");

    /// <summary>The broker node listening on <paramref name="port"/> (a client connection's endpoint port).</summary>
    public int RabbitNodeListeningOn(int port) =>
        RabbitPorts.ToList().IndexOf(port) is var index and >= 0 ? index + 1 : throw new ArgumentException($"No broker node listens on {port}.", nameof(port));

    /// <summary>SIGKILLs broker node <paramref name="node"/>, as a crash.</summary>
    public Task KillRabbitNodeAsync(int node) => RunAsync("kill-rabbit", node);

    /// <summary>Starts broker node <paramref name="node"/> again and waits until it is back in the cluster.</summary>
    public Task StartRabbitNodeAsync(int node) => RunAsync("start-rabbit", node);

    /// <summary>The node Patroni has made the primary.</summary>
    public async Task<int> PostgresPrimaryAsync() =>
        int.Parse((await RunAsync("pg-primary")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>SIGKILLs Patroni and PostgreSQL of node <paramref name="node"/>, as a machine loss.</summary>
    public Task KillPostgresNodeAsync(int node) => RunAsync("kill-pg", node);

    /// <summary>
    /// Starts PostgreSQL node <paramref name="node"/> again and waits until it is the primary or the
    /// synchronous replica (an old primary rejoins as a replica, by pg_rewind if it must).
    /// </summary>
    public Task StartPostgresNodeAsync(int node) => RunAsync("start-pg", node);

    /// <summary>The cluster as a <see cref="TestBroker"/>, its management API on the first node that answers.</summary>
    public async Task<TestBroker> BrokerAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        foreach (var managementPort in RabbitManagementPorts)
        {
            try
            {
                // Any answer will do: the node runs.
                (await http.GetAsync(new Uri($"http://{RabbitHost}:{managementPort}/api/overview"))).Dispose();
                return new TestBroker(RabbitHost, RabbitPorts[0], managementPort, RabbitUser, RabbitPasswordFile, Settings["RabbitMq__ClusterNodes"]);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // This node is down; try the next.
            }
        }
        throw new InvalidOperationException("No broker node answers on its management port.");
    }

    /// <summary>A private virtual host on the cluster, created through any node's management API.</summary>
    public async Task<TestVirtualHost> CreateVirtualHostAsync() => await TestVirtualHost.CreateAsync(await BrokerAsync());

    /// <summary>A private database, created on the current primary through the multi-host connection string.</summary>
    public Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateAsync(PostgresConnectionString);

    /// <summary>A private virtual host and database on these servers; its ServiceEnvironment is what a service process needs.</summary>
    public async Task<PrivateServers> CreatePrivateServersAsync() => await PrivateServers.CreateAsync(await BrokerAsync(), PostgresConnectionString, PostgresPasswordFile);

    public async Task DisposeAsync()
    {
        if (Directory.Length == 0 || !System.IO.Directory.Exists(Directory)) return;
        NpgsqlConnection.ClearAllPools();
        await RunAsync("stop");
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task<string> RunAsync(string command, int? node = null)
    {
        string[] arguments = node is { } n ? [Directory, command, n.ToString(CultureInfo.InvariantCulture)] : [Directory, command];
        return await ShellCommand.RunAsync(Script, arguments, ScriptTimeout, $"scripts/ha-servers.sh {command} {node}".TrimEnd());
    }

    /// <summary>
    /// The variables env.sh exports, as bash reads them (the values are shell-quoted): bash sources
    /// the file in an empty environment and prints its environment.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, string>> ReadSettingsAsync(string envFile)
    {
        var names = (await File.ReadAllLinesAsync(envFile)).Select(line => ExportedName().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        var environment = await ShellCommand.RunAsync("env", ["-i", "bash", "-c", "source \"$0\" && env -0", envFile], TimeSpan.FromSeconds(30), "reading " + envFile);
        return environment.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2 && names.Contains(pair[0]))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    /// <summary>The ports of "host:port,host:port".</summary>
    private static List<int> PortsOf(string hosts) => hosts.Split(',').Select(host => ParsePort(host[(host.LastIndexOf(':') + 1)..])).ToList();

    private static int ParsePort(string port) => int.Parse(port, CultureInfo.InvariantCulture);

    [GeneratedRegex("^export ([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex ExportedName();
}
