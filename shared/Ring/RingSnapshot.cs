namespace CloudBus.Ring;

/// <summary>One service's ring at one epoch. Epochs only grow; a larger epoch is newer.</summary>
public sealed record RingSnapshot(string Service, long Epoch, HashRing Ring)
{
    /// <summary>The ring before any membership is known: nobody owns anything yet.</summary>
    public static RingSnapshot Empty(string service) => new(service, 0, new HashRing([], 1));

    public string? OwnerOf(string resourceId) => Ring.OwnerOf(resourceId);
}
