using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Security;

namespace CloudBus.IntegrationTests.Telemetry;

/// <summary>
/// A host cut off from the control plane but alive (its storage heartbeat advances) is a false
/// alarm: counted once per incident however often it is found alive, with a detection time and
/// nothing of a failover.
/// </summary>
[Collection(SharedMeteredStack.Name)]
public sealed class FalseAlarmMetricsTests(MeteredHaStack stack) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _viewer = TestTokens.Client(TimeSpan.FromSeconds(30), OperatorRoles.Viewer);

    public void Dispose() => _viewer.Dispose();

    [Fact]
    public async Task A_host_found_alive_twice_is_one_false_alarm_and_no_failover()
    {
        await stack.RegisterFleetAsync();
        const string cutOff = "host-2";
        var before = await PrometheusText.ScrapeAsync(_viewer, stack.HaOrchestrator);

        await FaultAsync(cutOff, "cut-control-plane");
        await Eventually.ReturnsAsync(() => IncidentAsync(cutOff), i => i.Timeline.Count(s => s.Step == "Alive") >= 2, Timeout,
            "two investigation rounds to find the host alive");
        var during = await Eventually.ReturnsAsync(() => PrometheusText.ScrapeAsync(_viewer, stack.HaOrchestrator),
            scrape => scrape.Value(HaMetrics.FalseAlarms.Prometheus, ("how", "alive")) is not null, Timeout, "the false alarm in /metrics");

        Assert.Equal(1, Increase(before, during, HaMetrics.Suspicions.Prometheus));
        Assert.Equal(1, Increase(before, during, HaMetrics.DetectionDuration.Prometheus + "_count"));
        Assert.Equal(1, during.Value(HaMetrics.FalseAlarms.Prometheus, ("how", "alive")));
        foreach (var failover in new[] { HaMetrics.InvestigationDuration, HaMetrics.FencingDuration, HaMetrics.VmRestartDuration })
            Assert.Equal(0, Increase(before, during, failover.Prometheus + "_count"));
        Assert.Equal(0, Increase(before, during, HaMetrics.Fences.Prometheus));

        // Answering again ends the incident as Recovered: the same false alarm, not a second one.
        await FaultAsync(cutOff, "heal");
        await Eventually.ReturnsAsync(() => IncidentAsync(cutOff), i => i.Status == IncidentStatus.Recovered, Timeout, "the incident to end as Recovered");
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, $"hosts/{cutOff}"), h => h.Status == "Connected", Timeout,
            "the healed host Connected");
        var after = await PrometheusText.ScrapeAsync(_viewer, stack.HaOrchestrator);
        Assert.Equal(1, after.Find(HaMetrics.FalseAlarms.Prometheus).Sum(s => s.Value));
    }

    /// <summary>How much a counter (summed over its series) grew between two scrapes; absent counts as 0.</summary>
    private static double Increase(PrometheusText before, PrometheusText after, string name) =>
        after.Find(name).Sum(s => s.Value) - before.Find(name).Sum(s => s.Value);

    private async Task<Incident> IncidentAsync(string hostId)
    {
        var listed = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={hostId}"),
            list => list.Count > 0, Timeout, $"an incident for {hostId}");
        return await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed[0].IncidentId}");
    }

    private async Task FaultAsync(string hostId, string fault) => await stack.PostAsync<object>(stack.BackDoor, $"hosts/{hostId}/faults/{fault}", new { });
}
