using CloudBus.VmLifecycle.Domain;

namespace CloudBus.UnitTests.VmLifecycle;

/// <summary>Where a VM's disks are decides which hosts can run it.</summary>
public sealed class VmStorageTests
{
    [Fact]
    public void A_vm_without_storage_yet_is_bound_to_the_cluster_of_the_host_it_first_starts_on()
    {
        var placed = VmStorage.Unbound.PlacedIn("cluster-b");
        Assert.Equal(("cluster-b", "cluster-b"), (placed.Cluster, placed.RequiredCluster));
        Assert.Equal(placed, placed.PlacedIn("cluster-a")); // a later start does not move its disks
        Assert.Null(VmStorage.Unbound.RequiredCluster);
    }

    [Fact]
    public void A_vm_on_zone_wide_storage_may_run_in_any_cluster()
    {
        Assert.Null(VmStorage.ZoneWideStorage.PlacedIn("cluster-a").RequiredCluster);
    }
}
