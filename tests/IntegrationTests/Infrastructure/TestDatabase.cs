using CloudBus.ServiceDefaults.Database;
using Npgsql;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>A fresh, empty database for one test class, dropped afterwards, so tests never see each other's rows.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _name = "cloudbus_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _server;

    private TestDatabase(string serverConnectionString) => _server = serverConnectionString;

    public string ConnectionString { get; private set; } = "";

    public string Name => _name;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>
    /// This database as a service would reach a failover cluster: a multi-host connection string
    /// naming the test server of ./test.sh and a second node that is down (a standby being rebuilt, or the old
    /// primary after a failover), for the primary. Services connecting with it go through Npgsql's
    /// multi-host data source, its host states and its "no suitable host" errors, as on Patroni.
    /// </summary>
    public string ClusterConnectionString
    {
        get
        {
            var single = new NpgsqlConnectionStringBuilder(ConnectionString);
            return new NpgsqlConnectionStringBuilder(ConnectionString)
            {
                Host = $"{single.Host}:{single.Port},127.0.0.1:{_downStandbyPort}",
                TargetSessionAttributes = "primary",
            }.ConnectionString;
        }
    }

    private readonly int _downStandbyPort = FreePort.Next();

    /// <summary>
    /// A connection string as a service is given it: without the password, which services read
    /// only from <c>Postgres__PasswordFile</c> (they refuse a connection string holding one).
    /// </summary>
    public static string ForServices(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ConnectionString;

    /// <summary>A database on the PostgreSQL of ./test.sh.</summary>
    public static Task<TestDatabase> CreateAsync() => CreateAsync(TestServers.PostgresConnectionString);

    /// <param name="serverConnectionString">
    /// Where to create it; a multi-host connection string with <c>Target Session Attributes=primary</c>
    /// creates it on the current primary, and <see cref="ConnectionString"/> keeps every host.
    /// </param>
    public static async Task<TestDatabase> CreateAsync(string serverConnectionString)
    {
        DapperConventions.Register(); // as a service's AddCloudBusDatabase does: tests build stores directly
        var database = new TestDatabase(serverConnectionString);
        await using (var admin = new NpgsqlConnection(serverConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database._name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        database.ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database._name }.ConnectionString;
        database.DataSource = NpgsqlDataSource.Create(database.ConnectionString);
        return database;
    }

    /// <summary>
    /// Ends every other session on this database, as a database restart would from the clients'
    /// side. Returns how many were ended.
    /// </summary>
    public async Task<int> TerminateConnectionsAsync()
    {
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", admin);
        terminate.Parameters.AddWithValue("name", _name);
        return (int)(await terminate.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The database goes away for its clients, as a stopped server or a failover in progress would:
    /// new connections are refused ("not currently accepting connections") and every open session is
    /// ended. Other tests' databases on the same server are not touched. <see cref="ResumeAsync"/> ends it.
    /// </summary>
    public async Task SuspendAsync()
    {
        await AdminAsync($"ALTER DATABASE {_name} ALLOW_CONNECTIONS false");
        await TerminateConnectionsAsync();
    }

    /// <summary>The database takes connections again (after <see cref="SuspendAsync"/>).</summary>
    public Task ResumeAsync() => AdminAsync($"ALTER DATABASE {_name} ALLOW_CONNECTIONS true");

    private async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
