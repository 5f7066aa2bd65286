namespace CloudBus.VmLifecycle.Domain;

/// <summary>
/// Where a VM's disks live, and so which hosts can run it: on the shared storage of one cluster
/// (its hosts reach it, no other host does) or on zone-wide storage (every host reaches it). A VM
/// created without saying is bound to the cluster of the host it first starts on, because its disks
/// are created on that cluster's storage then (as CloudStack does with cluster-scoped primary
/// storage). Placement, migration and HA restarts all go through this: a VM never lands on a host
/// that cannot reach its disks.
/// </summary>
/// <param name="Cluster">The cluster whose storage holds the disks; null while not yet bound, or for zone-wide storage.</param>
/// <param name="ZoneWide">The disks are on storage every host reaches.</param>
public sealed record VmStorage(string? Cluster, bool ZoneWide)
{
    /// <summary>No disks created yet: the first placement binds the VM to its host's cluster.</summary>
    public static readonly VmStorage Unbound = new(null, false);

    public static readonly VmStorage ZoneWideStorage = new(null, true);

    public static VmStorage InCluster(string cluster) => new(cluster, false);

    /// <summary>The cluster whose hosts alone can run the VM; null when any host can.</summary>
    public string? RequiredCluster => ZoneWide ? null : Cluster;

    /// <summary>The storage after the VM was placed on a host of <paramref name="hostCluster"/>.</summary>
    public VmStorage PlacedIn(string hostCluster) => ZoneWide || Cluster is not null ? this : InCluster(hostCluster);
}
