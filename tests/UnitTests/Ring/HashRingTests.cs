using CloudBus.Ring;

namespace CloudBus.UnitTests.Ring;

public sealed class HashRingTests
{
    private const int VirtualNodes = RingDefaults.VirtualNodesPerMember;
    private static readonly string[] Resources = Enumerable.Range(0, 100_000).Select(i => $"host-{i}").ToArray();

    private static string[] Members(int count) => Enumerable.Range(1, count).Select(i => $"host-monitor-{i:x8}").ToArray();

    [Fact]
    public void Same_members_in_any_order_give_the_same_owner_for_every_resource()
    {
        var members = Members(7);
        var ring = new HashRing(members, VirtualNodes);
        var shuffled = new HashRing(members.Reverse().Concat(members.Take(2)), VirtualNodes);

        Assert.All(Resources.Take(20_000), id => Assert.Equal(ring.OwnerOf(id), shuffled.OwnerOf(id)));
    }

    [Fact]
    public void Ten_members_share_a_hundred_thousand_resources_within_ten_percent_of_the_average()
    {
        var ring = new HashRing(Members(10), VirtualNodes);
        var loads = Resources.GroupBy(ring.OwnerOf).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Equal(10, loads.Count);
        var maxOverAverage = loads.Values.Max() / (Resources.Length / 10.0);
        Assert.True(maxOverAverage <= 1.10, $"busiest member carries {maxOverAverage:0.000} x the average");
    }

    [Fact]
    public void A_joining_member_takes_resources_only_from_others_and_about_its_fair_share()
    {
        var before = new HashRing(Members(10), VirtualNodes);
        var after = new HashRing(Members(11), VirtualNodes);
        var joiner = Members(11)[^1];

        var moved = Resources.Where(id => before.OwnerOf(id) != after.OwnerOf(id)).ToList();

        // Consistent hashing: nothing moves between old members, everything that moves goes to the joiner.
        Assert.All(moved, id => Assert.Equal(joiner, after.OwnerOf(id)));
        var movedOverOptimal = moved.Count / (Resources.Length / 11.0);
        Assert.True(movedOverOptimal <= 1.10, $"moved {movedOverOptimal:0.000} x the optimal 1/11");
    }

    [Fact]
    public void A_leaving_member_hands_over_only_its_own_resources()
    {
        var members = Members(5);
        var before = new HashRing(members, VirtualNodes);
        var after = new HashRing(members.Where(m => m != members[2]), VirtualNodes);

        foreach (var id in Resources.Take(20_000))
        {
            if (before.OwnerOf(id) == members[2]) Assert.NotEqual(members[2], after.OwnerOf(id));
            else Assert.Equal(before.OwnerOf(id), after.OwnerOf(id));
        }
    }

    [Fact]
    public void An_empty_ring_owns_nothing_and_a_single_member_owns_everything()
    {
        Assert.Null(new HashRing([], VirtualNodes).OwnerOf("host-1"));
        var single = new HashRing(["only"], VirtualNodes);
        Assert.All(Resources.Take(1000), id => Assert.Equal("only", single.OwnerOf(id)));
    }

    [Fact]
    public void Hash_is_stable_across_builds_and_processes()
    {
        // Values computed independently (FNV-1a 64 over UTF-8, then MurmurHash3 fmix64). If these
        // change, instances running different builds would disagree about owners.
        Assert.Equal(0xefd01f60ba992926UL, RingHash.Of(""));
        Assert.Equal(0x28ad179c6f9086dcUL, RingHash.Of("host-1"));
        Assert.Equal(0x721c5394827e65e7UL, RingHash.Of("ü-vm"));
    }
}
