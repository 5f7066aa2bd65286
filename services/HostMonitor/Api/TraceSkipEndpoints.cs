using CloudBus.ServiceDefaults.Http;
using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Security;
using CloudBus.HostMonitor.Persistence;
using CloudBus.HostMonitor.Tracing;

namespace CloudBus.HostMonitor.Api;

/// <summary>The VMs sync leaves alone: skipped (operation in flight) and orphaned (operator departed).</summary>
public static class TraceSkipEndpoints
{
    public static void MapTraceSkipEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/trace-skips", async (int? limit, int? offset, HttpRequest request, TraceSkipStore skips, CancellationToken ct) =>
            Paging.List(request, limit, offset, await skips.ListAsync(ct))).ForViewers()
            .AnswersPage<TraceSkip>("The VMs sync leaves alone, and why.");
}
