using System.Diagnostics;
using System.Net.Http.Json;
using CloudBus.ServiceDefaults.Http;
using System.Text.Json;
using CloudBus.Messages.Hosts;
using Dapper;
using MassTransit;
using Npgsql;

namespace CloudBus.Bench;

/// <summary>
/// One HostMonitor instance (default settings: 2 s pings, k = 3) against a simulated fleet of
/// 2,000 hosts carrying 20,000 VMs: how long a ping round and a sync round take against their
/// interval, the process's CPU, and how long after power-off 20 hosts are suspected, against the
/// ideal k x interval. Servers come from the environment (./bench.sh starts them).
/// </summary>
public static class MonitorBenchmark
{
    private const int HostCount = 2000;
    private const int VmsPerHost = 10;
    private const int PoweredOff = 20;
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(2);
    private const int MissesBeforeSuspect = 3;
    private static readonly HttpClient Http = BenchSupport.AdminClient(TimeSpan.FromSeconds(30));

    public static Task<int> RunAsync() => BenchSupport.WithHeartbeatDirectoryAsync(MeasureAsync);

    private static async Task<int> MeasureAsync(string heartbeats)
    {
        var environment = BenchSupport.ServerEnvironment("monitor");
        var hostIds = Enumerable.Range(1, HostCount).Select(i => $"host-{i:0000}").ToArray();

        var backDoor = BenchSupport.NewBackDoor();
        using var agent = BenchProcess.Start("HostAgent", new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = string.Join(',', hostIds), ["Simulated__CpuCores"] = "64", ["Simulated__MemoryMib"] = "262144",
            ["Simulated__HeartbeatDirectory"] = heartbeats, ["Simulated__BackDoorPort"] = BenchSupport.PortOf(backDoor),
        });
        using var registry = BenchProcess.Start("NodeRegistry", environment);
        using var monitor = BenchProcess.Start("HostMonitor", environment);
        foreach (var process in new[] { agent, registry, monitor }) await process.WaitReadyAsync(Http, TimeSpan.FromSeconds(120));

        var vms = await StartVmsAsync(agent, hostIds);
        await SeedVmViewAsync(BenchSupport.DatabaseConnectionString(environment), vms);
        await RegisterHostsAsync(environment, agent, hostIds);
        await BenchSupport.WaitAsync(async () => (await ConnectedAsync(monitor)) == HostCount, TimeSpan.FromMinutes(3), "every host Connected");

        // Steady state: several ping and sync rounds.
        var cpuBefore = monitor.CpuSeconds();
        var wall = Stopwatch.StartNew();
        var pingRounds = new List<double>();
        var syncRates = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(PingInterval * 2);
            var stats = await Http.GetFromJsonAsync<JsonElement>(new Uri(monitor.BaseAddress, "stats"));
            pingRounds.Add(Seconds(stats.GetProperty("lastPingRound")));
            var sync = stats.GetProperty("lastSyncRound");
            syncRates.Add(sync.GetProperty("vms").GetInt64() / Seconds(sync));
        }
        var cpuCores = (monitor.CpuSeconds() - cpuBefore) / wall.Elapsed.TotalSeconds;

        var detections = await MeasureDetectionAsync(BenchSupport.DatabaseConnectionString(environment), backDoor, hostIds);
        var p99 = BenchSupport.P99(detections);

        BenchSupport.Print("monitor.detect_over_ideal", p99 / (PingInterval.TotalSeconds * MissesBeforeSuspect));
        BenchSupport.Print("monitor.detect_p99_s", p99);
        BenchSupport.Print("monitor.ping_cycle_over_interval", pingRounds.Max() / PingInterval.TotalSeconds);
        BenchSupport.Print("monitor.sync_vms_per_s", syncRates.Min());
        BenchSupport.Print("monitor.cpu_cores", cpuCores);
        return 0;
    }

    private static async Task<List<(string HostId, Guid VmId)>> StartVmsAsync(BenchProcess agent, string[] hostIds)
    {
        var vms = hostIds.SelectMany(h => Enumerable.Range(0, VmsPerHost).Select(_ => (HostId: h, VmId: Guid.NewGuid()))).ToList();
        await Parallel.ForEachAsync(vms, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (vm, ct) =>
        {
            using var response = await Http.PostAsJsonAsync(new Uri(agent.BaseAddress, $"hosts/{vm.HostId}/vms/{vm.VmId}/start"),
                new { incarnation = 1, cpuCores = 1, memoryMib = 512 }, ct);
            response.EnsureSuccessStatusCode();
        });
        return vms;
    }

    /// <summary>What VmLifecycle's VmStateChanged events would have put in HostMonitor's view: every VM Running on its host.</summary>
    private static async Task SeedVmViewAsync(string connectionString, List<(string HostId, Guid VmId)> vms)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync("""
            INSERT INTO host_monitor.vm_view (vm_id, host_id, state, incarnation, changed_at)
            SELECT v, h, 'Running', 1, now() FROM unnest(@vms, @hosts) AS u(v, h)
            """, new { vms = vms.Select(v => v.VmId).ToArray(), hosts = vms.Select(v => v.HostId).ToArray() });
    }

    private static async Task RegisterHostsAsync(Dictionary<string, string> environment, BenchProcess agent, string[] hostIds)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(environment["RabbitMq__Host"], ushort.Parse(environment["RabbitMq__Port"]),
            environment["RabbitMq__VirtualHost"], host =>
            {
                host.Username(environment["RabbitMq__Username"]);
                host.Password(BenchSupport.RabbitPassword(environment));
            }));
        await bus.StartAsync();
        foreach (var hostId in hostIds)
            await bus.Publish(new HostRegistered
            {
                HostId = hostId, AgentAddress = agent.BaseAddress, Cluster = "cluster-a", CpuCores = 64, MemoryMib = 262144, RegisteredAt = DateTimeOffset.UtcNow,
            });
        await bus.StopAsync();
    }

    private static async Task<List<double>> MeasureDetectionAsync(string connectionString, Uri backDoor, string[] hostIds)
    {
        var victims = hostIds.OrderBy(_ => Random.Shared.Next()).Take(PoweredOff).ToList();
        var poweredOffAt = new Dictionary<string, DateTimeOffset>();
        foreach (var hostId in victims)
        {
            poweredOffAt[hostId] = DateTimeOffset.UtcNow;
            (await Http.PostAsync(new Uri(backDoor, $"hosts/{hostId}/faults/power-off"), null)).EnsureSuccessStatusCode();
        }

        await using var connection = new NpgsqlConnection(connectionString);
        List<(string HostId, double At)> suspected = [];
        await BenchSupport.WaitAsync(async () =>
        {
            // Seconds since the epoch: compared with the moment each host was powered off.
            suspected = (await connection.QueryAsync<(string, double)>(
                "SELECT host_id, extract(epoch FROM status_changed_at)::float8 FROM host_monitor.hosts WHERE status = @suspect AND host_id = ANY(@victims)",
                new { victims = victims.ToArray(), suspect = nameof(HostStatus.Suspect) })).ToList();
            return suspected.Count == victims.Count;
        }, TimeSpan.FromMinutes(1), "every powered-off host suspected");
        return suspected.Select(s => s.At - poweredOffAt[s.HostId].ToUnixTimeMilliseconds() / 1000.0).ToList();
    }

    private static async Task<int> ConnectedAsync(BenchProcess monitor)
    {
        var hosts = await Http.GetFromJsonAsync<JsonElement>(new Uri(monitor.BaseAddress, $"hosts?limit={Paging.MaxLimit}"));
        return hosts.EnumerateArray().Count(h => h.GetProperty("status").GetString() == nameof(HostStatus.Connected));
    }

    private static double Seconds(JsonElement round) => TimeSpan.Parse(round.GetProperty("took").GetString()!).TotalSeconds;
}
