using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.ControlPlaneHa;

/// <summary>
/// The HA stack (a BMC per simulated host, HA times shortened) on the production-shaped servers:
/// a 3-node RabbitMQ cluster with quorum queues and PostgreSQL under Patroni, reached through every
/// broker node and a multi-host connection string, so that tests can kill (-9) a broker node or the
/// database primary under a running system.
/// </summary>
public sealed class ClusterHaStack(HaServers servers) : HaStack
{
    public HaServers HaServers => servers;

    protected override Task<PrivateServers> CreateServersAsync() => servers.CreatePrivateServersAsync();

    // One restart at a time: a host's six restarts then last over a second and a half on slowed
    // hosts, long enough to be seen in flight and killed under (all at once they were done in
    // 0.3 s, and a test once missed the moment).
    protected override IEnumerable<(string Key, string Value)> MoreSettings => [("Ha__RestartParallelism", "1")];
}
