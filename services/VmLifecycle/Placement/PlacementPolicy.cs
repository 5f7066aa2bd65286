using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Placement;

/// <summary>
/// Which hosts can take a VM, in which order. Pure: the reservation itself happens in the
/// database, host by host in this order, so a host filled by a concurrent start is skipped there.
/// Only hosts that reach the VM's disks are candidates (its storage cluster, if it has one).
/// Order: hosts with a preferred tag first; then the least loaded host and those about as loaded
/// (free memory within a tenth of its), in an order that differs from VM to VM, so that VMs placed
/// at the same moment (an HA restart of a whole host) spread over them instead of all choosing the
/// same one until it is full; then the rest, least loaded first.
/// </summary>
public static class PlacementPolicy
{
    public static PlacementPlan Plan(PlacementRequest request, IEnumerable<HostRecord> hosts)
    {
        var fitting = new List<HostRecord>();
        var rejections = new Dictionary<string, string>();
        foreach (var host in hosts)
        {
            var reason = WhyNot(request, host);
            if (reason is null) fitting.Add(host);
            else rejections[host.HostId] = reason;
        }

        if (request.RequiredHostId is not null && !rejections.ContainsKey(request.RequiredHostId) && fitting.All(h => h.HostId != request.RequiredHostId))
            rejections[request.RequiredHostId] = "unknown host";

        bool Preferred(HostRecord host) => host.Tags.Intersect(request.PreferredTags).Any();
        var leastLoaded = fitting.GroupBy(Preferred).ToDictionary(tier => tier.Key, tier => tier.Max(FreeShare));
        bool AboutAsFree(HostRecord host) => FreeShare(host) >= leastLoaded[Preferred(host)] - AboutAsLoaded;
        var ordered = fitting
            .OrderByDescending(Preferred)
            .ThenByDescending(AboutAsFree)
            .ThenBy(h => AboutAsFree(h) ? SpreadOrder(request.SpreadKey, h.HostId) : 0)
            .ThenByDescending(FreeShare)
            .ThenByDescending(h => h.FreeCpu)
            .ThenBy(h => h.HostId, StringComparer.Ordinal)
            .Select(h => h.HostId)
            .ToList();
        return new PlacementPlan(ordered, rejections);
    }

    /// <summary>Hosts whose free share of memory is within this of the least loaded one's count as about as loaded.</summary>
    private const double AboutAsLoaded = 0.1;

    private static double FreeShare(HostRecord host) => (double)host.FreeMemoryMib / host.MemoryMib;

    /// <summary>A stable pseudo-random rank of a host for one VM (FNV-1a over both ids; the same in every process).</summary>
    private static uint SpreadOrder(Guid key, string hostId)
    {
        var hash = 2166136261u;
        foreach (var b in key.ToByteArray()) hash = (hash ^ b) * 16777619u;
        foreach (var c in hostId) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    private static string? WhyNot(PlacementRequest request, HostRecord host)
    {
        if (request.RequiredHostId is not null && host.HostId != request.RequiredHostId) return "not the requested host";
        if (request.RequiredCluster is { } cluster && host.Cluster != cluster)
            return $"in cluster {host.Cluster}, and the VM's disks are on the storage of cluster {cluster}";
        if (request.ExcludedHostIds.Contains(host.HostId)) return "excluded";
        if (host.InMaintenance) return $"host is in maintenance ({host.MaintenanceReason})";
        if (host.Status != HostStatus.Connected) return $"host is {host.Status}";
        if (!host.Enabled) return "host is disabled";
        if (host.FreeCpu < request.CpuCores) return $"needs {request.CpuCores} CPU, {host.FreeCpu} free";
        if (host.FreeMemoryMib < request.MemoryMib) return $"needs {request.MemoryMib} MiB, {host.FreeMemoryMib} MiB free";
        if (host.FreeStorageGib is { } freeStorage && freeStorage < request.RootDiskGib)
            return $"needs {request.RootDiskGib} GiB of disk, {freeStorage} GiB free";
        return null;
    }
}
