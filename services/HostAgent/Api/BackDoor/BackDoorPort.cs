using System.Net;
using CloudBus.HostAgent.Simulation;

namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>
/// The simulated fleet's back door listens on a loopback-only port of its own
/// (<c>Simulated__BackDoorPort</c>), beside the control plane's: its routes answer only there, so
/// nothing that reaches the agent over the network can power its hosts off or inject faults.
/// </summary>
public static class BackDoorPort
{
    /// <summary>The port from the settings (0: none); the agent also listens on 127.0.0.1 there.</summary>
    public static int Listen(WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue<int>($"{SimulatedOptions.Section}:{nameof(SimulatedOptions.BackDoorPort)}");
        if (port is <= 0 or > 65535) return 0;
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
            urls = builder.Configuration["http_ports"] is { Length: > 0 } ports
                ? string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p}"))
                : "http://localhost:5000";
        var controlPlanePorts = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(url => BindingAddress.Parse(url.Trim()).Port);
        if (controlPlanePorts.Contains(port))
            throw new InvalidOperationException($"Simulated:BackDoorPort {port} is also the control plane's port ({urls}): give the back door a port of its own.");
        builder.WebHost.UseUrls($"{urls};http://127.0.0.1:{port}");
        return port;
    }

    /// <summary>The back door's routes, answering only on its loopback port (404 anywhere else, as if absent).</summary>
    public static void MapSimulationBackDoor(this WebApplication app, int port) =>
        app.MapGroup("")
            .AddEndpointFilter((context, next) =>
            {
                var connection = context.HttpContext.Connection;
                return connection.LocalPort == port && connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local)
                    ? next(context)
                    : ValueTask.FromResult<object?>(Results.NotFound());
            })
            .MapSimulationBackDoor();
}
