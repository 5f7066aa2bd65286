namespace CloudBus.Ring;

/// <summary>Ring settings every instance must share (they are part of who owns what).</summary>
public static class RingDefaults
{
    /// <summary>
    /// Points per member. More points balance better and move closer to the optimum on a join;
    /// with 10 members and 100,000 resources, 1,000 points keep the busiest member within about 5%
    /// of the average (see ./bench.sh ring). A ring of 10 members is then 10,000 points: a lookup is
    /// one hash and a binary search of 14 steps.
    /// </summary>
    public const int VirtualNodesPerMember = 1000;
}
