using System.Diagnostics;
using System.Net;
using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Security;
using CloudBus.ServiceDefaults.Routing;
using CloudBus.ServiceDefaults.Scheduling;
using CloudBus.ServiceDefaults.Telemetry;
using CloudBus.VmLifecycle.Persistence;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Telemetry;

/// <summary>
/// The services' metrics as Prometheus reads them at /metrics: after one real failover, HA's
/// histograms hold one sample per stage (one per VM for the VM restart time) with times that fit
/// the failover, its counters say what happened, and the gauges show the hosts and VMs by state.
/// </summary>
public sealed class MetricsTests(MeteredHaStack stack, ITestOutputHelper output) : IClassFixture<MeteredHaStack>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _viewer = TestTokens.Client(TimeSpan.FromSeconds(30), OperatorRoles.Viewer);

    public void Dispose() => _viewer.Dispose();

    [Fact]
    public async Task After_one_failover_each_ha_histogram_has_its_sample_with_a_plausible_time()
    {
        await stack.RegisterFleetAsync();
        const string failing = "host-1";
        await HaVms.StartAsync(stack, "metered-a", failing, "OnHostFailure");
        await HaVms.StartAsync(stack, "metered-b", failing, "NeverStop");
        await HaVms.StartAsync(stack, "metered-plain", failing, "None");
        const int haVms = 2;

        var sincePowerOff = Stopwatch.StartNew();
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{failing}/faults/power-off", new { });
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={failing}"),
            list => list is [{ Status: IncidentStatus.Restarted }], Timeout, "the incident to end with its VMs restarted");
        // Every stage ends within the failover; its clock starts at the last good ping, which is at
        // most a ping interval and timeout before the power went off.
        var bound = sincePowerOff.Elapsed.TotalSeconds + 1;

        // Recorded right after the last restart's commit, which the API may show a moment sooner.
        var ha = await Eventually.ReturnsAsync(() => ScrapeAsync(stack.HaOrchestrator),
            scrape => Count(scrape, HaMetrics.HostRecoveryDuration) == 1, Timeout, "the host recovery time in /metrics");
        output.WriteLine(string.Join('\n', ha.Samples.Where(s => s.Name.StartsWith("cloudbus_", StringComparison.Ordinal))));

        Assert.Equal(
            new double?[] { 1, 1, 1, haVms, 1 },
            new[] { HaMetrics.DetectionDuration, HaMetrics.InvestigationDuration, HaMetrics.FencingDuration, HaMetrics.VmRestartDuration, HaMetrics.HostRecoveryDuration }
                .Select(h => Count(ha, h)));
        var (detection, investigation, fencing) = (Sum(ha, HaMetrics.DetectionDuration), Sum(ha, HaMetrics.InvestigationDuration), Sum(ha, HaMetrics.FencingDuration));
        var (vmRestarts, recovery) = (Sum(ha, HaMetrics.VmRestartDuration), Sum(ha, HaMetrics.HostRecoveryDuration));
        // Suspected only after pings were missed; each stage took time; the stages follow each other.
        Assert.InRange(detection, ControlPlaneStack.PingInterval.TotalSeconds, bound);
        Assert.InRange(investigation, 0.001, bound);
        Assert.InRange(fencing, 0.001, bound);
        Assert.InRange(detection + investigation + fencing, 0, recovery);
        Assert.InRange(vmRestarts / haVms, detection + investigation + fencing, recovery);
        Assert.InRange(recovery, 0, bound);
        // The buckets are the ones HaMetrics asks for (seconds), not the SDK's default (milliseconds).
        var buckets = ha.Find(HaMetrics.DetectionDuration.Prometheus + "_bucket");
        Assert.Equal(1, buckets.Single(b => b.Labels["le"] == "+Inf").Value);
        Assert.Equal(0, buckets.Single(b => b.Labels["le"] == "0.1").Value);

        Assert.Equal(1, ha.Value(HaMetrics.Suspicions.Prometheus));
        Assert.Equal(1, ha.Value(HaMetrics.Fences.Prometheus, ("method", "bmc_power_off")));
        Assert.Equal(haVms, ha.Value(HaMetrics.Restarts.Prometheus, ("cause", "host_failure")));
        Assert.Null(ha.Value(HaMetrics.FalseAlarms.Prometheus));
        Assert.Null(ha.Value(HaMetrics.GiveUps.Prometheus));
        Assert.Null(ha.Value(HaMetrics.Quarantines.Prometheus));

        // The gauges, read from the services' tables.
        var monitor = await Eventually.ReturnsAsync(() => ScrapeAsync(stack.HostMonitor),
            scrape => scrape.Value(HostStatusGauge.Hosts.Prometheus, ("status", "Down")) == 1, Timeout, "one host Down in the hosts gauge");
        Assert.Equal(stack.FleetHostIds.Count, monitor.Find(HostStatusGauge.Hosts.Prometheus).Sum(s => s.Value));
        Assert.Equal(1, monitor.Value(RingMembersGauge.Members.Prometheus, ("ring", "host-monitor")));
        await Eventually.ReturnsAsync(() => ScrapeAsync(stack.VmLifecycle),
            scrape => scrape.Value(VmStateGauge.Vms.Prometheus, ("state", "Running")) == haVms && scrape.Value(VmStateGauge.Vms.Prometheus, ("state", "Stopped")) == 1,
            Timeout, "the restarted VMs Running and the other one Stopped in the VMs gauge");
        foreach (var service in stack.Services)
            Assert.NotNull((await ScrapeAsync(service)).Value(OutboxGauge.Messages.Prometheus, ("state", "due")));
    }

    [Fact]
    public async Task Metrics_need_a_token_like_every_other_route()
    {
        using var anonymous = new HttpClient();
        foreach (var service in stack.Services)
        {
            using var response = await anonymous.GetAsync(new Uri(service.BaseAddress, "metrics"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private static double? Count(PrometheusText scrape, MetricName histogram) => scrape.Value(histogram.Prometheus + "_count");

    private static double Sum(PrometheusText scrape, MetricName histogram) => scrape.Value(histogram.Prometheus + "_sum") ?? double.NaN;

    private Task<PrometheusText> ScrapeAsync(ServiceProcess service) => PrometheusText.ScrapeAsync(_viewer, service);
}
