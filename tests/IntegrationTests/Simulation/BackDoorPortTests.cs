using System.Net;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Simulation;

/// <summary>
/// The simulated fleet's back door (power, faults, fleet, audit) answers only on a loopback port of
/// its own: on the control plane's port its routes do not exist, and without the setting there is none.
/// </summary>
public sealed class BackDoorPortTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string[] BackDoorRoutes = ["fleet/hosts", "audit/double-runs", "hosts/h1/power"];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task The_back_door_answers_on_its_own_port_and_not_on_the_control_planes()
    {
        var backDoor = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await using var agent = await StartAgentAsync(("Simulated__BackDoorPort", backDoor.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        foreach (var route in BackDoorRoutes)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(new Uri(backDoor, route)));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(new Uri(agent.BaseAddress, route)));
        }
        using (var powerOff = await _http.PostAsync(new Uri(agent.BaseAddress, "hosts/h1/faults/power-off"), null))
            Assert.Equal(HttpStatusCode.NotFound, powerOff.StatusCode);
        // The control plane's API is where it was.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(new Uri(agent.BaseAddress, "hosts/h1/ping")));
    }

    [Fact]
    public async Task Without_a_back_door_port_nothing_can_break_the_fleet_from_outside()
    {
        await using var agent = await StartAgentAsync();

        foreach (var route in BackDoorRoutes)
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(new Uri(agent.BaseAddress, route)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(new Uri(agent.BaseAddress, "hosts/h1/ping")));
    }

    private static async Task<ServiceProcess> StartAgentAsync(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["Simulated__Hosts"] = "h1", ["Simulated__HeartbeatDirectory"] = Directory.CreateTempSubdirectory("cb-backdoor-").FullName,
        };
        foreach (var (key, value) in settings) environment[key] = value;
        var agent = ServiceProcess.Start("HostAgent", environment);
        await agent.WaitUntilReadyAsync(Timeout);
        return agent;
    }

    private async Task<HttpStatusCode> StatusAsync(Uri uri)
    {
        using var response = await _http.GetAsync(uri);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();
}
