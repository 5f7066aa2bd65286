using System.Text.Json;
using System.Text.RegularExpressions;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Security;

namespace CloudBus.IntegrationTests.Telemetry;

/// <summary>
/// The local Prometheus (Debian's 2.42, started by scripts/lib/prometheus.sh as ./up.sh starts it)
/// scrapes /metrics of every instance of a running stack with a viewer's token: its targets API
/// shows each one up.
/// </summary>
[Collection(SharedMeteredStack.Name)]
public sealed partial class PrometheusServerTests(MeteredHaStack stack)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Prometheus_scrapes_every_service_instance_with_a_viewer_token()
    {
        var tokenFile = TestSecrets.NewFile(TestTokens.For(OperatorRoles.Viewer, "prometheus"));
        var server = Directory.CreateTempSubdirectory("cloudbus-prometheus-").FullName;
        var instances = stack.Services.ToDictionary(s => $"{s.BaseAddress.Host}:{s.BaseAddress.Port}", s => s.Name);
        try
        {
            await ShellScripts.RunAsync("prometheus.sh", "cloudbus_prometheus_configure", [server, tokenFile, "1s"], ScriptTimeout);
            await ShellScripts.RunAsync("prometheus.sh", "cloudbus_prometheus_targets",
                [server, .. stack.Services.Select(s => $"{TargetName(s.Name)}={s.BaseAddress}")], ScriptTimeout);
            await ShellScripts.RunAsync("prometheus.sh", "cloudbus_prometheus_start", [server], ScriptTimeout);
            var prometheus = new Uri($"http://127.0.0.1:{File.ReadAllText(Path.Combine(server, "prometheus.port")).Trim()}/");

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var targets = await Eventually.ReturnsAsync(() => ActiveTargetsAsync(http, prometheus),
                found => found.Count == instances.Count && found.All(t => t.Health == "up"), TimeSpan.FromSeconds(60),
                "every service instance up in Prometheus's targets");
            Assert.Equal(instances.Keys.Order(), targets.Select(t => t.Address).Order());
        }
        finally
        {
            await ShellScripts.RunAsync("prometheus.sh", "cloudbus_prometheus_stop", [server], ScriptTimeout);
            Directory.Delete(server, recursive: true);
            TestSecrets.Delete(tokenFile);
        }
    }

    private sealed record Target(string Address, string Health, string LastError)
    {
        public override string ToString() => $"{Address} {Health} {LastError}";
    }

    private static async Task<IReadOnlyList<Target>> ActiveTargetsAsync(HttpClient http, Uri prometheus)
    {
        using var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri(prometheus, "api/v1/targets?state=active")));
        return answer.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => new Target(t.GetProperty("labels").GetProperty("instance").GetString()!, t.GetProperty("health").GetString()!,
                t.GetProperty("lastError").GetString()!))
            .ToList();
    }

    /// <summary>A process name such as <c>HostMonitor#1</c> as the script's target name: <c>hostmonitor-1</c>.</summary>
    private static string TargetName(string processName) => NotNameCharacters().Replace(processName.ToLowerInvariant(), "-");

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex NotNameCharacters();
}
