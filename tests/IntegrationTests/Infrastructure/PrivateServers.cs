namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A private RabbitMQ virtual host and a private database for one test class, and the settings a
/// service process needs to use them.
/// </summary>
public sealed class PrivateServers : IAsyncDisposable
{
    private PrivateServers(TestVirtualHost virtualHost, TestDatabase database)
    {
        VirtualHost = virtualHost;
        Database = database;
    }

    public TestVirtualHost VirtualHost { get; }
    public TestDatabase Database { get; }

    /// <summary>On the broker and the database server of ./test.sh.</summary>
    public static Task<PrivateServers> CreateAsync() => CreateAsync(TestServers.Broker, TestServers.PostgresConnectionString);

    /// <summary>On the given broker and database server (the HA servers, for example).</summary>
    public static async Task<PrivateServers> CreateAsync(TestBroker broker, string postgresConnectionString) =>
        new(await TestVirtualHost.CreateAsync(broker), await TestDatabase.CreateAsync(postgresConnectionString));

    /// <summary>Broker, database and token-key settings for a service process, with the given settings on top.</summary>
    public Dictionary<string, string> ServiceEnvironment(params (string Key, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>(VirtualHost.Environment)
        {
            ["Postgres__ConnectionString"] = Database.ConnectionString,
            ["Auth__SigningKeyFile"] = TestServers.SigningKeyFile,
        };
        foreach (var (key, value) in overrides) environment[key] = value;
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await VirtualHost.DisposeAsync();
    }
}
