using System.Net;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Hosting;

/// <summary>/health/ready follows the database and the broker; /health/live only the process.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Ready_turns_unavailable_when_the_database_goes_away_while_live_stays_ok()
    {
        var servers = await PrivateServers.CreateAsync();
        await using var service = ServiceProcess.Start("NodeRegistry", servers.ServiceEnvironment());
        using var http = new HttpClient();
        try
        {
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            // Dropping the private database (connections are forced off) takes the service's database away.
            await servers.DisposeAsync();
        }

        await Eventually.HoldsAsync(async () =>
        {
            using var ready = await http.GetAsync(new Uri(service.BaseAddress, "health/ready"));
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable && (await ready.Content.ReadAsStringAsync()).Contains("\"postgres\":{\"status\":\"Unhealthy\"");
        }, TimeSpan.FromSeconds(30), "/health/ready to report the database unhealthy");
        using var live = await http.GetAsync(new Uri(service.BaseAddress, "health/live"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Ready_turns_unavailable_soon_after_the_broker_goes_away_and_ready_again_when_it_is_back()
    {
        var servers = await PrivateServers.CreateAsync();
        try
        {
            await using var service = ServiceProcess.Start("NodeRegistry", servers.ServiceEnvironment());
            using var http = new HttpClient();
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

            await servers.VirtualHost.SuspendAsync();
            await Eventually.ReturnsAsync(async () =>
            {
                using var ready = await http.GetAsync(new Uri(service.BaseAddress, "health/ready"));
                return (ready.StatusCode, Body: await ready.Content.ReadAsStringAsync());
            },
                // The database is fine: it is the broker that makes the instance unready.
                ready => ready.StatusCode == HttpStatusCode.ServiceUnavailable && ready.Body.Contains("\"postgres\":{\"status\":\"Healthy\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "/health/ready to report the broker away");

            await servers.VirtualHost.ResumeAsync();
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await servers.DisposeAsync();
        }
    }
}
