namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The HA stack connected to its database as to a failover cluster whose standby is down
/// (<see cref="TestDatabase.ClusterConnectionString"/>), so that a restart of the test server
/// looks to the services exactly like a failover on a Patroni cluster. Its hosts have no BMC: a
/// dead host is fenced by the proof that it fenced itself, which keeps the stack light (what is
/// under test here is the database, not IPMI).
/// </summary>
public sealed class TwoNodeDatabaseHaStack() : HaStack(fleetSize: 4)
{
    protected override bool WithBmcs => false;

    protected override IEnumerable<(string Key, string Value)> MoreSettings => [("Postgres__ConnectionString", TestDatabase.ForServices(Servers.Database.ClusterConnectionString))];
}
