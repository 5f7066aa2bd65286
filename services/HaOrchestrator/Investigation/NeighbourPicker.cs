using CloudBus.HaOrchestrator.Hosts;
using CloudBus.Messages.Hosts;

namespace CloudBus.HaOrchestrator.Investigation;

/// <summary>
/// Which hosts to ask about a suspect: connected hosts of its cluster (they share its storage),
/// at most <c>count</c>, in an order that differs per suspect so that no one neighbour answers for
/// every investigation of the cluster.
/// </summary>
public static class NeighbourPicker
{
    public static IReadOnlyList<KnownHost> Pick(KnownHost suspect, IEnumerable<KnownHost> hosts, int count) =>
        hosts.Where(h => h.Cluster == suspect.Cluster && h.HostId != suspect.HostId && h.Status == HostStatus.Connected)
            .OrderBy(h => CloudBus.Ring.RingHash.Of($"{suspect.HostId}/{h.HostId}"))
            .ThenBy(h => h.HostId, StringComparer.Ordinal)
            .Take(count)
            .ToList();
}
