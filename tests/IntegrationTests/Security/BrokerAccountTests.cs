using System.Net;
using CloudBus.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CloudBus.IntegrationTests.Security;

/// <summary>The broker the local stack and the tests start has no well-known account: no guest, whose password everybody knows.</summary>
public sealed class BrokerAccountTests
{
    [Fact]
    public async Task Guest_does_not_exist_and_cannot_log_in()
    {
        var broker = TestServers.Broker;
        using var management = new HttpClient { BaseAddress = new Uri($"http://{broker.Host}:{broker.ManagementPort}/api/"), Timeout = TimeSpan.FromSeconds(10) };
        management.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{broker.Username}:{broker.Password}")));

        using var guest = await management.GetAsync("users/guest");
        var factory = new ConnectionFactory { HostName = broker.Host, Port = broker.Port, UserName = "guest", Password = "guest", AutomaticRecoveryEnabled = false };

        Assert.Equal(HttpStatusCode.NotFound, guest.StatusCode);
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => factory.CreateConnectionAsync());
    }
}
