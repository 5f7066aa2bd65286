using CloudBus.ServiceDefaults.Security;
using CloudBus.HostMonitor.Persistence;

namespace CloudBus.HostMonitor.Api;

/// <summary>The VMs sync leaves alone: skipped (operation in flight) and orphaned (operator departed).</summary>
public static class TraceSkipEndpoints
{
    public static void MapTraceSkipEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/trace-skips", async (TraceSkipStore skips, CancellationToken ct) => Results.Ok(await skips.ListAsync(ct))).ForViewers();
}
