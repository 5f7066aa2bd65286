namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The HA stack connected to its database as to a failover cluster whose standby is down
/// (<see cref="TestDatabase.ClusterConnectionString"/>), so that a restart of the test server
/// looks to the services exactly like a failover on a Patroni cluster.
/// </summary>
public sealed class TwoNodeDatabaseHaStack() : HaStack(fleetSize: 4)
{
    protected override IEnumerable<(string Key, string Value)> MoreSettings => [("Postgres__ConnectionString", Servers.Database.ClusterConnectionString)];
}
