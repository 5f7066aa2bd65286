namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A private RabbitMQ virtual host and a private database for one test class, and the settings a
/// service process needs to use them.
/// </summary>
public sealed class PrivateServers : IAsyncDisposable
{
    private readonly string? _postgresPasswordFile;

    private PrivateServers(TestVirtualHost virtualHost, TestDatabase database, string? postgresPasswordFile)
    {
        VirtualHost = virtualHost;
        Database = database;
        _postgresPasswordFile = postgresPasswordFile;
    }

    public TestVirtualHost VirtualHost { get; }
    public TestDatabase Database { get; }

    /// <summary>On the broker and the database server of ./test.sh.</summary>
    public static Task<PrivateServers> CreateAsync() => CreateAsync(TestServers.Broker, TestServers.PostgresConnectionString, TestServers.PostgresPasswordFile);

    /// <summary>On the given broker and database server (the HA servers, for example).</summary>
    /// <param name="postgresPasswordFile">The file services read the database password from; null when the server asks for none.</param>
    public static async Task<PrivateServers> CreateAsync(TestBroker broker, string postgresConnectionString, string? postgresPasswordFile = null) =>
        new(await TestVirtualHost.CreateAsync(broker), await TestDatabase.CreateAsync(postgresConnectionString), postgresPasswordFile);

    /// <summary>Broker, database and token-key settings for a service process, with the given settings on top.</summary>
    public Dictionary<string, string> ServiceEnvironment(params (string Key, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>(VirtualHost.Environment)
        {
            ["Postgres__ConnectionString"] = TestDatabase.ForServices(Database.ConnectionString),
            ["Auth__SigningKeyFile"] = TestServers.SigningKeyFile,
            // The simulated fleet on loopback speaks plain http; stacks with mutual TLS override this.
            ["AgentClient__AllowPlainHttp"] = "true",
        };
        if (_postgresPasswordFile is not null) environment["Postgres__PasswordFile"] = _postgresPasswordFile;
        foreach (var (key, value) in overrides) environment[key] = value;
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await VirtualHost.DisposeAsync();
    }
}
