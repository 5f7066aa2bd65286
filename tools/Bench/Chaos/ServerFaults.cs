using System.Diagnostics;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// Broker nodes and Postgres nodes, killed and started again through <c>scripts/ha-servers.sh</c>,
/// the one place that knows how the HA servers run (./bench.sh chaos starts them and sets
/// <c>CLOUDBUS_HA_SERVERS_DIR</c>). Against a single broker node and a single Postgres (no cluster
/// nodes in the settings) these faults are off: killing the only node tests nothing but the outage.
/// </summary>
public sealed class ServerFaults
{
    private readonly string? _directory;

    private ServerFaults(string? directory, int brokerNodes, int postgresNodes)
    {
        _directory = directory;
        BrokerNodes = brokerNodes;
        PostgresNodes = postgresNodes;
    }

    /// <summary>Broker nodes the chaos may kill one at a time (0: none).</summary>
    public int BrokerNodes { get; }

    /// <summary>Postgres nodes, of which the chaos kills the primary (0: none).</summary>
    public int PostgresNodes { get; }

    public static ServerFaults FromEnvironment()
    {
        var directory = Environment.GetEnvironmentVariable("CLOUDBUS_HA_SERVERS_DIR");
        if (string.IsNullOrEmpty(directory)) return new ServerFaults(null, 0, 0);
        // RabbitMq__ClusterNodes is "127.0.0.1:p1,127.0.0.1:p2,..."; the connection string's Host is "127.0.0.1:p1,127.0.0.1:p2,...".
        var brokers = (Environment.GetEnvironmentVariable("RabbitMq__ClusterNodes") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
        var postgres = PostgresHosts(Environment.GetEnvironmentVariable("Postgres__ConnectionString") ?? "");
        return new ServerFaults(directory, brokers > 1 ? brokers : 0, postgres > 1 ? postgres : 0);
    }

    public Task KillBrokerNodeAsync(int node) => RunAsync("kill-rabbit", $"{node}");

    public Task StartBrokerNodeAsync(int node) => RunAsync("start-rabbit", $"{node}");

    /// <summary>The number of the node that is Postgres primary now.</summary>
    public async Task<int> PostgresPrimaryAsync()
    {
        var output = await RunAsync("pg-primary");
        return int.TryParse(output.Trim(), out var node) ? node : throw new InvalidOperationException($"ha-servers.sh pg-primary printed '{output.Trim()}', not a node number");
    }

    public Task KillPostgresNodeAsync(int node) => RunAsync("kill-pg", $"{node}");

    public Task StartPostgresNodeAsync(int node) => RunAsync("start-pg", $"{node}");

    private static int PostgresHosts(string connectionString) =>
        connectionString.Split(';')
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Trim().Equals("Host", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Length)
            .FirstOrDefault();

    /// <returns>What the script printed on stdout.</returns>
    private async Task<string> RunAsync(params string[] arguments)
    {
        var script = Path.Combine(BenchProcess.RepositoryRoot, "scripts", "ha-servers.sh");
        var start = new ProcessStartInfo("bash", [script, _directory ?? throw new InvalidOperationException("no HA servers"), .. arguments])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ha-servers.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await errors).Trim()}");
        return await output;
    }
}
