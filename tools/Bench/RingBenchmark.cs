using System.Diagnostics;
using CloudBus.Ring;

namespace CloudBus.Bench;

/// <summary>
/// Balance and movement of the ring with 10 instances and 100,000 resource ids, and lookup cost.
/// For contrast, the same ring with FNV-1a alone (no finalizer, ZStack's kind of hash) is
/// measured in the same run.
/// </summary>
public static class RingBenchmark
{
    private const int Instances = 10;
    private const int ResourceCount = 100_000;

    public static int Run()
    {
        var members = Enumerable.Range(1, Instances + 1).Select(i => $"host-monitor-{Guid.NewGuid().ToString("N")[..8]}").ToArray();
        var resources = Enumerable.Range(0, ResourceCount).Select(_ => Guid.NewGuid().ToString()).ToArray();

        var ten = new HashRing(members.Take(Instances), RingDefaults.VirtualNodesPerMember);
        var eleven = new HashRing(members, RingDefaults.VirtualNodesPerMember);
        Print("ring.max_over_avg", MaxOverAverage(resources.Select(ten.OwnerOf)));
        Print("ring.moved_over_optimal", resources.Count(r => ten.OwnerOf(r) != eleven.OwnerOf(r)) / (ResourceCount / (Instances + 1.0)));
        Print("ring.lookup_ns", LookupNanoseconds(ten, resources));
        Print("ring.unmixed_fnv_max_over_avg", UnmixedMaxOverAverage(members.Take(Instances).ToArray(), resources));
        return 0;
    }

    private static double MaxOverAverage(IEnumerable<string?> owners)
    {
        var loads = owners.GroupBy(o => o).Select(g => g.Count()).ToList();
        return loads.Max() / (ResourceCount / (double)Instances);
    }

    private static double LookupNanoseconds(HashRing ring, string[] resources)
    {
        const int rounds = 30;
        foreach (var r in resources) ring.OwnerOf(r); // warm up (JIT, caches)
        var watch = Stopwatch.StartNew();
        var sink = 0;
        for (var round = 0; round < rounds; round++)
            foreach (var r in resources) sink += ring.OwnerOf(r)!.Length;
        watch.Stop();
        GC.KeepAlive(sink);
        return watch.Elapsed.TotalNanoseconds / (rounds * (double)resources.Length);
    }

    /// <summary>The same ring built on plain FNV-1a: similar point names land close together.</summary>
    private static double UnmixedMaxOverAverage(string[] members, string[] resources)
    {
        var points = members
            .SelectMany(m => Enumerable.Range(0, RingDefaults.VirtualNodesPerMember).Select(v => (Point: Fnv($"{m}#{v}"), Owner: m)))
            .OrderBy(p => p.Point).ToArray();
        var keys = points.Select(p => p.Point).ToArray();
        return MaxOverAverage(resources.Select(r =>
        {
            var i = Array.BinarySearch(keys, Fnv(r));
            if (i < 0) i = ~i;
            return points[i == keys.Length ? 0 : i].Owner;
        }));
    }

    private static ulong Fnv(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(value)) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }

    private static void Print(string name, double value) => Console.WriteLine($"{name}: {value:0.###}");
}
