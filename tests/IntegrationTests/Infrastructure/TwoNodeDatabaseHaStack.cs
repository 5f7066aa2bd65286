using Npgsql;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The HA stack connected to its database as to a failover cluster: a multi-host connection
/// string naming the test server and a second node that is down (a standby being rebuilt, or the
/// old primary after a failover), with <c>Target Session Attributes=primary</c>. The services go
/// through Npgsql's multi-host data source, its host states and its "no suitable host" errors,
/// exactly as on a Patroni cluster.
/// </summary>
public sealed class TwoNodeDatabaseHaStack() : HaStack(fleetSize: 4)
{
    protected override IEnumerable<(string Key, string Value)> MoreSettings
    {
        get
        {
            var single = new NpgsqlConnectionStringBuilder(Servers.Database.ConnectionString);
            var cluster = new NpgsqlConnectionStringBuilder(Servers.Database.ConnectionString)
            {
                Host = $"{single.Host}:{single.Port},127.0.0.1:{FreePort.Next()}",
                TargetSessionAttributes = "primary",
            };
            return [("Postgres__ConnectionString", cluster.ConnectionString)];
        }
    }
}
