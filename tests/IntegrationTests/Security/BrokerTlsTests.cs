using System.Globalization;
using CloudBus.Bench;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// A service reaching the broker over TLS (RabbitMq__UseTls), on the local node's TLS listener: it
/// trusts the broker's certificate only when it comes from the CA it was given.
/// </summary>
public sealed class BrokerTlsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private PrivateServers _servers = null!;

    public async Task InitializeAsync() => _servers = await PrivateServers.CreateAsync();

    public async Task DisposeAsync() => await _servers.DisposeAsync();

    [Fact]
    public async Task A_service_connects_over_tls_to_a_broker_whose_certificate_its_ca_issued()
    {
        await using var registry = ServiceProcess.Start("NodeRegistry", OverTls(TestServers.RabbitTlsCaFile));

        await registry.WaitUntilReadyAsync(Timeout);
    }

    [Fact]
    public async Task A_service_given_another_ca_refuses_the_brokers_certificate_and_is_not_ready()
    {
        using var otherCa = new LocalCertificates();
        await using var registry = ServiceProcess.Start("NodeRegistry", OverTls(otherCa.CaFile));

        await Eventually.HoldsAsync(() => Task.FromResult(registry.RecentOutput.Contains("RemoteCertificateValidationCallback", StringComparison.Ordinal)),
            Timeout, "the service to log that it refused the broker's certificate");
        // It keeps trying (a broker whose certificate is fixed is reached without a restart), and is not ready meanwhile.
        Assert.False(registry.HasExited, registry.RecentOutput);
        Assert.False(await IsReadyAsync(registry), registry.RecentOutput);
    }

    private static async Task<bool> IsReadyAsync(ServiceProcess service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var ready = await http.GetAsync(new Uri(service.BaseAddress, "health/ready"));
            return ready.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not even listening yet: it waits for its broker before it serves
        }
    }

    private Dictionary<string, string> OverTls(string caFile) => _servers.ServiceEnvironment(
        ("RabbitMq__Port", TestServers.RabbitTlsPort.ToString(CultureInfo.InvariantCulture)),
        ("RabbitMq__UseTls", "true"),
        ("RabbitMq__TlsCaFile", caFile));
}
