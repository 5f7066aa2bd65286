using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults.Bus;
using Npgsql;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>
/// The errors a real PostgreSQL gives while it is away are the ones the bus retries for long
/// enough to outlast a failover; a real mistake is not.
/// </summary>
public sealed class TransientFailuresTests : IAsyncLifetime
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
