using CloudBus.HostMonitor.Monitoring;

namespace CloudBus.HostMonitor.Api;

/// <summary>Host states as this instance sees them, with the reason for each.</summary>
public static class HostEndpoints
{
    public static void MapHostEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/hosts", (MonitoredHosts hosts) =>
            Results.Ok(hosts.All.Select(h => h.Snapshot()).OrderBy(h => h.HostId, StringComparer.Ordinal)));
        app.MapGet("/hosts/{hostId}", (string hostId, MonitoredHosts hosts) =>
            hosts.Find(hostId) is { } host
                ? Results.Ok(host.Snapshot())
                : Results.Problem($"Host {hostId} is not watched by this instance.", statusCode: StatusCodes.Status404NotFound, title: "Unknown host"));
    }
}
