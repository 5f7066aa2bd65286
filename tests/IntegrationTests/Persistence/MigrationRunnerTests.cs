using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults.Database;
using Dapper;

namespace CloudBus.IntegrationTests.Persistence;

public sealed class MigrationRunnerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Instances_starting_together_apply_each_migration_exactly_once()
    {
        var scripts = MigrationScript.LoadEmbedded(typeof(CloudBus.VmLifecycle.Persistence.VmStore).Assembly);
        var runners = Enumerable.Range(0, 6).Select(_ => new MigrationRunner(_database.DataSource, "vm_lifecycle", scripts));

        var applied = await Task.WhenAll(runners.Select(r => r.MigrateAsync(CancellationToken.None)));

        // Exactly one runner applied everything; the others waited on the lock and found nothing to do.
        Assert.Single(applied, versions => versions.Count == scripts.Count);
        Assert.Equal(5, applied.Count(versions => versions.Count == 0));
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        Assert.Equal(scripts.Select(s => s.Version), await connection.QueryAsync<int>("SELECT version FROM vm_lifecycle.schema_migrations ORDER BY version"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM vm_lifecycle.vms"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        var scripts = new[]
        {
            new MigrationScript(1, "0001_ok", "CREATE TABLE broken.first (id int);"),
            new MigrationScript(2, "0002_bad", "CREATE TABLE broken.second (id int REFERENCES nowhere (id));"),
        };
        var runner = new MigrationRunner(_database.DataSource, "broken", scripts);

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => runner.MigrateAsync(CancellationToken.None));

        await using var connection = await _database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'broken'"));
    }
}
