using CloudBus.HaOrchestrator.Fencing;
using CloudBus.HaOrchestrator.Investigation;

namespace CloudBus.UnitTests.HaOrchestrator;

public sealed class SelfFenceAndBrakeTests
{
    /// <summary>Self-fence 8 s plus margin 2 s.</summary>
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    private static readonly string[] Neighbours = ["n1", "n2"];

    private static HeartbeatWatch Watch(string id, params (long Sequence, double AgeSeconds)[] readings)
    {
        var watch = new HeartbeatWatch(id, Threshold);
        foreach (var (sequence, age) in readings) watch.Read(sequence, TimeSpan.FromSeconds(age), statedWatchdog: true);
        return watch;
    }

    private static HeartbeatWatch Stated(string id, double ageSeconds, double statedSelfFenceSeconds)
    {
        var watch = new HeartbeatWatch(id, Threshold);
        watch.Read(7, TimeSpan.FromSeconds(ageSeconds), TimeSpan.FromSeconds(statedSelfFenceSeconds), statedWatchdog: true);
        return watch;
    }

    [Fact]
    public void Silence_past_self_fence_plus_margin_on_a_majority_proves_the_host_fenced()
    {
        Assert.True(SelfFenceProof.Holds([Watch("n1", (7, 10.2)), Watch("n2", (7, 11)), new HeartbeatWatch("n3", Threshold)], Margin, out var why));
        Assert.Contains("2 of 3", why);
    }

    [Fact]
    public void Silence_shorter_than_self_fence_plus_margin_proves_nothing()
    {
        Assert.False(SelfFenceProof.Holds([Watch("n1", (7, 9)), Watch("n2", (7, 9.5))], Margin, out _));
    }

    [Fact]
    public void A_heartbeat_that_advances_anywhere_proves_the_host_alive_not_fenced()
    {
        Assert.False(SelfFenceProof.Holds([Watch("n1", (7, 12)), Watch("n2", (7, 1), (8, 0.1)), Watch("n3", (7, 12))], Margin, out var why));
        Assert.Contains("advancing on 1", why);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public void Silence_of_a_host_whose_heartbeat_does_not_say_a_watchdog_backs_it_proves_nothing(bool? watchdog)
    {
        var watches = Neighbours.Select(id =>
        {
            var watch = new HeartbeatWatch(id, Threshold);
            watch.Read(7, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(8), watchdog);
            return watch;
        }).ToList();

        Assert.False(SelfFenceProof.Holds(watches, Margin, out var why));
        Assert.Contains("does not say a watchdog backs its self-fence", why);
        Assert.Contains("only a BMC power-off fences it", why);
    }

    [Fact]
    public void Without_neighbours_there_is_no_proof()
    {
        Assert.False(SelfFenceProof.Holds([], Margin, out var why));
        Assert.Contains("no neighbour", why);
    }

    [Fact]
    public void A_host_that_states_a_longer_self_fence_time_is_held_to_it()
    {
        // Configured 8 s + 2 s: silent 12 s would do, but the host says it lets VMs run 30 s.
        Assert.False(SelfFenceProof.Holds([Stated("n1", 12, 30), Stated("n2", 12, 30)], Margin, out var why));
        Assert.Contains("states it self-fences after 30s", why);
        Assert.True(SelfFenceProof.Holds([Stated("n1", 32.5, 30), Stated("n2", 32, 30)], Margin, out _));
        Assert.True(SelfFenceProof.Holds([Stated("n1", 10.5, 8), Stated("n2", 11, 8)], Margin, out _));
    }

    [Theory]
    [InlineData(10, 1, 0.5, false)]
    [InlineData(10, 5, 0.5, false)]
    [InlineData(10, 6, 0.5, true)]
    [InlineData(2, 1, 0.5, false)]
    [InlineData(1, 1, 0.5, true)]
    [InlineData(0, 0, 0.5, true)]
    public void The_brake_holds_only_beyond_the_allowed_share_of_a_cluster(int hosts, int suspects, double share, bool holds)
    {
        Assert.Equal(holds, FencingBrake.Holds(hosts, suspects, share, out var why));
        Assert.Contains($"{suspects} of {hosts}", why);
    }
}
