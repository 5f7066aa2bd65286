namespace CloudBus.Ring;

/// <summary>
/// An immutable consistent-hash ring: each member appears at <see cref="VirtualNodesPerMember"/>
/// points, and a resource belongs to the member at the first point at or after the resource's
/// hash (wrapping around). Built once, never changed, so lookups need no lock and can never see
/// a half-built ring. The same members and virtual-node count give the same ring everywhere.
/// </summary>
public sealed class HashRing
{
    private readonly ulong[] _points;
    private readonly int[] _owners;

    public HashRing(IEnumerable<string> members, int virtualNodesPerMember)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodesPerMember, 1);
        Members = members.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        VirtualNodesPerMember = virtualNodesPerMember;

        var points = new (ulong Point, int Owner)[Members.Count * virtualNodesPerMember];
        for (var m = 0; m < Members.Count; m++)
        for (var v = 0; v < virtualNodesPerMember; v++)
            points[m * virtualNodesPerMember + v] = (RingHash.Of($"{Members[m]}#{v}"), m);
        // Ties (astronomically rare) are broken by member order, so every instance agrees.
        Array.Sort(points, (a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : a.Owner.CompareTo(b.Owner));

        _points = points.Select(p => p.Point).ToArray();
        _owners = points.Select(p => p.Owner).ToArray();
    }

    /// <summary>The members, sorted by ordinal string order.</summary>
    public IReadOnlyList<string> Members { get; }

    public int VirtualNodesPerMember { get; }

    public bool IsEmpty => _points.Length == 0;

    /// <returns>The owning member, or null when the ring has no members.</returns>
    public string? OwnerOf(string resourceId)
    {
        if (_points.Length == 0) return null;
        var index = Array.BinarySearch(_points, RingHash.Of(resourceId));
        if (index < 0) index = ~index;
        if (index == _points.Length) index = 0;
        return Members[_owners[index]];
    }
}
