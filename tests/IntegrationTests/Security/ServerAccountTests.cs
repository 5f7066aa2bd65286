using System.Net;
using CloudBus.IntegrationTests.Infrastructure;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// The servers the local stack and the tests start have no well-known account and trust nobody: no
/// broker guest, whose password everybody knows, and a database that asks for a password.
/// </summary>
public sealed class ServerAccountTests
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

    [Fact]
    public async Task The_database_asks_for_a_password_and_takes_the_one_in_the_password_file()
    {
        var withPassword = TestServers.PostgresConnectionString;
        var withoutPassword = new NpgsqlConnectionStringBuilder(withPassword) { Password = null, Pooling = false }.ConnectionString;

        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var connection = new NpgsqlConnection(withoutPassword);
            await connection.OpenAsync();
        });
        await using var accepted = new NpgsqlConnection(withPassword);
        await accepted.OpenAsync();
        await using var encryption = new NpgsqlCommand("SELECT current_setting('password_encryption')", accepted);

        Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("scram-sha-256", await encryption.ExecuteScalarAsync());
    }
}
