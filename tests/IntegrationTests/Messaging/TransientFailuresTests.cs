using System.Diagnostics;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults.Bus;
using CloudBus.ServiceDefaults.Database;
using Npgsql;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>
/// The errors a real PostgreSQL gives while it is away are the ones the bus retries for long
/// enough to outlast a failover; a real mistake is not.
/// </summary>
public sealed class TransientFailuresTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task A_database_that_refuses_connections_or_ends_sessions_is_a_transient_failure()
    {
        await using var open = await _database.DataSource.OpenConnectionAsync();
        await _database.SuspendAsync();
        try
        {
            var ended = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var command = new NpgsqlCommand("SELECT 1", open);
                await command.ExecuteScalarAsync();
            });
            var refused = await Assert.ThrowsAnyAsync<Exception>(async () => await _database.DataSource.OpenConnectionAsync());

            Assert.True(TransientFailures.IsTransient(ended), $"session ended: {Describe(ended)}");
            Assert.True(TransientFailures.IsTransient(refused), $"connection refused: {Describe(refused)}");
        }
        finally
        {
            await _database.ResumeAsync();
        }
    }

    [Fact]
    public async Task Every_error_a_real_restart_shows_a_cluster_connection_string_is_transient()
    {
        // As a service connects: several hosts, completed with the cluster defaults.
        await using var cluster = new NpgsqlDataSourceBuilder(FailoverConnectionString.Complete(_database.ClusterConnectionString, "restart-probe")).Build();
        for (var i = 0; i < 4; i++) await QueryAsync(cluster); // pooled sessions the restart will end

        var errors = new List<Exception>();
        using var stop = new CancellationTokenSource();
        var clients = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await QueryAsync(cluster);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    lock (errors) errors.Add(exception);
                }
                await Task.Delay(50);
            }
        });
        await PostgresServer.RestartAsync(TimeSpan.FromSeconds(2));
        var back = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await QueryAsync(cluster);
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the cluster connection string to reach the restarted server");
        output.WriteLine($"answering through the cluster connection string {back.Elapsed.TotalSeconds:0.0} s after the server did");
        await stop.CancelAsync();
        await clients;

        output.WriteLine(string.Join('\n', errors.Select(Describe).Distinct()));
        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.True(TransientFailures.IsTransient(error), Describe(error)));
    }

    private static async Task QueryAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task A_statement_the_database_rejects_is_not_transient()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM no_such_table", connection);
        var rejected = await Assert.ThrowsAnyAsync<Exception>(() => command.ExecuteScalarAsync());
        Assert.False(TransientFailures.IsTransient(rejected), Describe(rejected));
    }

    private static string Describe(Exception exception) =>
        $"{exception.GetType().Name} {(exception as PostgresException)?.SqlState} {exception.Message}";
}
