namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Six hosts in two clusters, each with its own shared storage: host-1..3 in cluster-a, host-4..6 in
/// cluster-b. host-3 (cluster-a), host-5 and host-6 (cluster-b) carry the <c>ha</c> tag.
/// </summary>
public sealed class TwoClusterHaStack : HaStack
{
    public override string ClusterOf(string hostId) => FleetHostIds.ToList().IndexOf(hostId) < 3 ? "cluster-a" : "cluster-b";

    protected override IEnumerable<string> TagsOf(string hostId) => hostId is "host-3" or "host-5" or "host-6" ? ["ha"] : [];
}
