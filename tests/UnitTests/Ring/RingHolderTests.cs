using CloudBus.Ring;

namespace CloudBus.UnitTests.Ring;

public sealed class RingHolderTests
{
    private static RingSnapshot Snapshot(long epoch, params string[] members) => new("host-monitor", epoch, new HashRing(members, 100));

    [Fact]
    public void A_newer_epoch_replaces_the_ring_and_an_older_or_equal_one_is_ignored()
    {
        var holder = new RingHolder("host-monitor");
        Assert.Equal(0, holder.Current.Epoch);

        Assert.True(holder.TryAdvance(Snapshot(5, "a", "b")));
        Assert.False(holder.TryAdvance(Snapshot(4, "a")));
        Assert.False(holder.TryAdvance(Snapshot(5, "c")));

        Assert.Equal(5, holder.Current.Epoch);
        Assert.Equal(["a", "b"], holder.Current.Ring.Members);
    }

    [Fact]
    public void A_ring_of_another_service_is_refused()
    {
        var holder = new RingHolder("host-monitor");
        Assert.Throws<ArgumentException>(() => holder.TryAdvance(new RingSnapshot("vm-lifecycle", 1, new HashRing(["a"], 10))));
    }

    [Fact]
    public async Task Lookups_racing_swaps_never_fail_tear_or_go_back_in_epoch()
    {
        const int epochs = 300;
        var resources = Enumerable.Range(0, 200).Select(i => $"vm-{i}").ToArray();

        // Epoch by epoch, members join and leave at random (seeded); the owner every ring gives
        // each resource is computed up front, so a torn read would show as a wrong owner.
        var random = new Random(42);
        var members = new List<string> { "m-0" };
        var snapshots = new RingSnapshot[epochs + 1];
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            if (members.Count > 1 && random.Next(3) == 0) members.RemoveAt(random.Next(members.Count));
            else members.Add($"m-{epoch}");
            snapshots[epoch] = Snapshot(epoch, [.. members]);
        }
        var expected = snapshots.Skip(1).ToDictionary(s => s.Epoch, s => resources.ToDictionary(r => r, r => s.OwnerOf(r)));

        var holder = new RingHolder("host-monitor");
        using var start = new Barrier(6);
        var writers = Enumerable.Range(0, 2).Select(_ => OnOwnThread(() =>
        {
            var order = Enumerable.Range(1, epochs).OrderBy(_ => Random.Shared.Next()).ToList(); // out of order, like the bus
            start.SignalAndWait();
            foreach (var epoch in order) holder.TryAdvance(snapshots[epoch]);
        })).ToList();
        var readers = Enumerable.Range(0, 4).Select(_ => OnOwnThread(() =>
        {
            start.SignalAndWait();
            long lastSeen = 0;
            for (var i = 0; i < 50_000; i++)
            {
                var snapshot = holder.Current;
                Assert.True(snapshot.Epoch >= lastSeen, $"went back from epoch {lastSeen} to {snapshot.Epoch}");
                lastSeen = snapshot.Epoch;
                if (snapshot.Epoch == 0) continue;
                var resource = resources[i % resources.Length];
                Assert.Equal(expected[snapshot.Epoch][resource], snapshot.OwnerOf(resource));
            }
        })).ToList();

        await Task.WhenAll([.. writers, .. readers]);
        Assert.Equal(epochs, holder.Current.Epoch);
    }

    /// <summary>A dedicated thread, so all six meet at the barrier at once even on two cores.</summary>
    private static Task OnOwnThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
