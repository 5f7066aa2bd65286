using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Fencing;
using CloudBus.ServiceDefaults.Telemetry;

namespace CloudBus.UnitTests.ServiceDefaults.Telemetry;

/// <summary>
/// The names Prometheus sees, as the OpenTelemetry Prometheus exporter forms them (the integration
/// test MetricsTests reads them back from a real /metrics).
/// </summary>
public sealed class MetricNameTests
{
    [Theory]
    [InlineData("cloudbus.ha.detection.duration", "s", MetricKind.Histogram, "cloudbus_ha_detection_duration_seconds")]
    [InlineData("cloudbus.ha.fences", "{fence}", MetricKind.Counter, "cloudbus_ha_fences_total")]
    [InlineData("cloudbus.vms", "{vm}", MetricKind.Gauge, "cloudbus_vms")]
    [InlineData("cloudbus.wait_seconds", "s", MetricKind.Gauge, "cloudbus_wait_seconds")]
    public void Prometheus_name_has_underscores_the_unit_and_total_for_counters(string name, string unit, MetricKind kind, string expected)
    {
        Assert.Equal(expected, new MetricName(name, unit, kind, "").Prometheus);
    }

    [Fact]
    public void A_unit_without_a_known_suffix_is_refused_rather_than_guessed()
    {
        Assert.Throws<InvalidOperationException>(() => new MetricName("cloudbus.size", "By", MetricKind.Gauge, "").Prometheus);
    }

    [Fact]
    public void Every_ha_metric_has_its_own_name()
    {
        Assert.Equal(HaMetrics.All.Count, HaMetrics.All.Select(m => m.Prometheus).Distinct().Count());
    }

    [Theory]
    [InlineData(FencingChain.BmcPowerOff, "bmc_power_off")]
    [InlineData(FencingChain.SelfFence, "self_fence")]
    [InlineData("something new", "other")]
    public void Fencing_methods_become_tags_from_a_closed_set(string method, string tag)
    {
        Assert.Equal(tag, HaMetrics.MethodTag(method));
    }
}
