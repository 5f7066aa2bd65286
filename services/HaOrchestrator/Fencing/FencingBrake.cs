namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// The brake: when many hosts of one cluster look dead at once, the likelier cause is the network
/// or storage we observe them through, not the hosts. Fencing them all would turn a partition into
/// an outage, so beyond a share of the cluster HA stops and an operator decides.
/// </summary>
public static class FencingBrake
{
    /// <param name="hostsInCluster">Hosts of the cluster in service (not in maintenance).</param>
    /// <param name="suspectsInCluster">Of those, how many are suspect or under investigation now, this one included.</param>
    /// <param name="maxSuspectShare">The largest share that may be fenced automatically, 0..1.</param>
    public static bool Holds(int hostsInCluster, int suspectsInCluster, double maxSuspectShare, out string explanation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hostsInCluster);
        ArgumentOutOfRangeException.ThrowIfNegative(suspectsInCluster);
        var share = hostsInCluster == 0 ? 1.0 : (double)suspectsInCluster / hostsInCluster;
        explanation = $"{suspectsInCluster} of {hostsInCluster} hosts in the cluster are suspect ({share:P0}; automatic fencing up to {maxSuspectShare:P0})";
        return share > maxSuspectShare;
    }
}
