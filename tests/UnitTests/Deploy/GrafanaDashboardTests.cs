using System.Text.Json;
using System.Text.RegularExpressions;
using CloudBus.Bench;
using CloudBus.HaOrchestrator;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.ServiceDefaults.Routing;
using CloudBus.ServiceDefaults.Scheduling;
using CloudBus.ServiceDefaults.Telemetry;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.UnitTests.Deploy;

/// <summary>
/// deploy/grafana/cloudbus-ha.json queries only metrics the services emit, under the names the
/// exporter gives them, and shows every one of HA's metrics and gauges.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly IReadOnlyList<MetricName> Emitted =
        [.. HaMetrics.All, HostStatusGauge.Hosts, VmStateGauge.Vms, RingMembersGauge.Members, OutboxGauge.Messages];

    [Fact]
    public void Every_metric_the_dashboard_queries_is_emitted()
    {
        var known = Emitted.Select(m => m.Prometheus).ToHashSet();
        var unknown = QueriedMetrics().Where(name => !known.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"the dashboard queries metrics nothing emits: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_dashboard_shows_every_ha_metric_and_gauge()
    {
        var missing = Emitted.Select(m => m.Prometheus).Except(QueriedMetrics()).ToList();
        Assert.True(missing.Count == 0, $"the dashboard does not show: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Histograms_are_queried_through_their_buckets_for_quantiles()
    {
        var expressions = Expressions();
        foreach (var histogram in Emitted.Where(m => m.Kind == MetricKind.Histogram))
            Assert.Contains(expressions, e => e.Contains("histogram_quantile(", StringComparison.Ordinal)
                                              && e.Contains(histogram.Prometheus + "_bucket", StringComparison.Ordinal));
    }

    /// <summary>The metric names in the panels' queries, a histogram's series (_bucket, _sum, _count) as the histogram.</summary>
    private static IEnumerable<string> QueriedMetrics() =>
        Expressions().SelectMany(e => CloudBusMetric().Matches(e).Select(m => HistogramSeries().Replace(m.Value, ""))).Distinct();

    private static List<string> Expressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(BenchProcess.RepositoryRoot, "deploy", "grafana", "cloudbus-ha.json")));
        var expressions = new List<string>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
            if (panel.TryGetProperty("targets", out var targets))
                expressions.AddRange(targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString()!));
        Assert.NotEmpty(expressions);
        return expressions;
    }

    [GeneratedRegex("cloudbus_[a-z0-9_]+")]
    private static partial Regex CloudBusMetric();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();
}
