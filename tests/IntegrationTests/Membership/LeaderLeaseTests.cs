using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.NodeRegistry.Membership;
using Npgsql;

namespace CloudBus.IntegrationTests.Membership;

/// <summary>
/// NodeRegistry's leader lease on the real database, two replicas as two processes would hold it
/// (each its own connection pool): one leads at a time, giving it up lets the other lead, and a
/// session the database ended takes the lease with it.
/// </summary>
public sealed class LeaderLeaseTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _first = null!;
    private NpgsqlDataSource _second = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _first = NpgsqlDataSource.Create(_database.ConnectionString);
        _second = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task One_replica_leads_at_a_time_and_giving_the_lease_up_lets_the_other_lead()
    {
        await using var first = new LeaderLease(_first);
        await using var second = new LeaderLease(_second);

        Assert.NotNull(await first.AcquireOrKeepAsync(default));
        Assert.Null(await second.AcquireOrKeepAsync(default));

        // Given up after a failed round: the connection goes back to its pool, and the lock must not go with it.
        await first.ReleaseAsync();
        Assert.NotNull(await second.AcquireOrKeepAsync(default));
        Assert.Null(await first.AcquireOrKeepAsync(default));
    }

    [Fact]
    public async Task A_lease_whose_session_the_database_ended_is_taken_again()
    {
        await using var first = new LeaderLease(_first);
        await using var second = new LeaderLease(_second);
        Assert.NotNull(await first.AcquireOrKeepAsync(default));

        await _database.TerminateConnectionsAsync(); // as a restart or failover would

        // The leader notices at its next round and takes the lease again on a new session.
        Assert.NotNull(await first.AcquireOrKeepAsync(default));
        Assert.Null(await second.AcquireOrKeepAsync(default));
    }
}
