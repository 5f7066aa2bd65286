using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Placement;

/// <summary>
/// Which hosts can take a VM, in which order. Pure: the reservation itself happens in the
/// database, host by host in this order, so a host filled by a concurrent start is skipped there.
/// Order: hosts with a preferred tag first, then the host with the most free memory (spreading load).
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

        var ordered = fitting
            .OrderByDescending(h => h.Tags.Intersect(request.PreferredTags).Any())
            .ThenByDescending(h => (double)h.FreeMemoryMib / h.MemoryMib)
            .ThenByDescending(h => h.FreeCpu)
            .ThenBy(h => h.HostId, StringComparer.Ordinal)
            .Select(h => h.HostId)
            .ToList();
        return new PlacementPlan(ordered, rejections);
    }

    private static string? WhyNot(PlacementRequest request, HostRecord host)
    {
        if (request.RequiredHostId is not null && host.HostId != request.RequiredHostId) return "not the requested host";
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
