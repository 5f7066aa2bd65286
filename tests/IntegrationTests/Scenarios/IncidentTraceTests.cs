using CloudBus.HaOrchestrator.Incidents;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// An incident is one trace: HostMonitor's suspicion, HaOrchestrator's investigation, fence and
/// restart, and VmLifecycle's release and start all carry the trace id the incident records,
/// across the broker, the Postgres timer and the restart work table.
/// </summary>
public sealed class IncidentTraceTests(TracedHaStack stack, ITestOutputHelper output) : IClassFixture<TracedHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Suspicion_investigation_fence_release_and_restart_of_one_incident_share_its_trace()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "traced", "host-1", "OnHostFailure");
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-off", new { });

        await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Running" && v.HostId != "host-1", Timeout, "the VM running elsewhere");
        var listed = Assert.Single(await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents?hostId=host-1"));
        Assert.NotNull(listed.TraceId);

        var spans = await Eventually.ReturnsAsync(() => Task.FromResult(stack.Receiver.Spans().Where(s => s.TraceId == listed.TraceId).ToList()),
            inTrace => inTrace.Any(s => s is { Service: "ha-orchestrator", Name: "restart VM" })
                       && inTrace.Any(s => s.Service == "vm-lifecycle" && s.Name.Contains("vm-lifecycle-commands", StringComparison.Ordinal))
                       && inTrace.Any(s => s.Service == "host-monitor"),
            Timeout, "spans of every step in the incident's trace");
        output.WriteLine(string.Join('\n', spans.Select(s => $"{s.Service}: {s.Name}").Distinct()));
        Assert.Contains(spans, s => s.Service == "ha-orchestrator" && s.Name.Contains("investigate-host", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Service == "ha-orchestrator" && s.Name.Contains("fence-host", StringComparison.Ordinal));
    }
}
