using Npgsql;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>A fresh, empty database for one test class, dropped afterwards, so tests never see each other's rows.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _name = "cloudbus_test_" + Guid.NewGuid().ToString("N")[..12];

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await using (var admin = new NpgsqlConnection(TestServers.PostgresConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database._name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        database.ConnectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgresConnectionString) { Database = database._name }.ConnectionString;
        database.DataSource = NpgsqlDataSource.Create(database.ConnectionString);
        return database;
    }

    /// <summary>
    /// Ends every other session on this database, as a database restart would from the clients'
    /// side. Returns how many were ended.
    /// </summary>
    public async Task<int> TerminateConnectionsAsync()
    {
        await using var admin = new NpgsqlConnection(TestServers.PostgresConnectionString);
        await admin.OpenAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", admin);
        terminate.Parameters.AddWithValue("name", _name);
        return (int)(await terminate.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServers.PostgresConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
