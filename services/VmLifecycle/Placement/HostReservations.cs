using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.VmLifecycle.Placement;

/// <summary>
/// Reserves a VM's capacity on the first host of its placement plan that still fits, inside the
/// caller's transaction, so the reservation and whatever the caller writes with it (the VM's new
/// host, a migration's target) commit together or not at all. Concurrent reservations cannot
/// over-commit a host: each is a conditional update that fails once the host no longer fits.
/// </summary>
public sealed class HostReservations(HostStore hosts)
{
    /// <returns>The host reserved on, or null and why no host could take the VM.</returns>
    public async Task<(HostRecord? Host, string Why)> ReserveAsync(UnitOfWork work, VmRecord vm, PlacementRequest placement)
    {
        // What the VM needs and where its disks are come from the VM itself, whoever asks.
        var request = placement with
        {
            CpuCores = vm.CpuCores, MemoryMib = vm.MemoryMib, RootDiskGib = vm.RootDiskGib, RequiredCluster = vm.Storage.RequiredCluster, SpreadKey = vm.VmId,
        };
        var known = await hosts.ListAsync(CancellationToken.None);
        var plan = PlacementPolicy.Plan(request, known);
        foreach (var candidate in plan.Candidates)
            if (await HostStore.TryReserveAsync(work, candidate, vm))
                return (known.Single(h => h.HostId == candidate), "");
        if (plan.Candidates.Count == 0) return (null, plan.Explain());
        // The candidates filled up under concurrent starts: explain from the capacity as it is now.
        var current = PlacementPolicy.Plan(request, await hosts.ListAsync(CancellationToken.None));
        return (null, current.Candidates.Count == 0 ? current.Explain() : "every candidate host filled up concurrently; try again");
    }
}
