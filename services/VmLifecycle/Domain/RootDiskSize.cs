namespace CloudBus.VmLifecycle.Domain;

/// <summary>
/// How much storage a VM's root disk takes. A disk offering's size wins; without one the disk is
/// as large as its image, and an image can occupy more than its virtual size (a qcow2 with
/// snapshots or metadata): the larger of virtual and actual size. ZStack placed on the virtual
/// size alone and over-committed storage.
/// </summary>
public static class RootDiskSize
{
    public static int AllocatedGib(int imageVirtualGib, int imageActualGib, int? offeringGib) =>
        offeringGib ?? Math.Max(imageVirtualGib, imageActualGib);
}
