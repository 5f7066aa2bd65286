using CloudBus.HaOrchestrator.Investigation;

namespace CloudBus.UnitTests.HaOrchestrator;

public sealed class HeartbeatWatchTests
{
    private readonly HeartbeatWatch _watch = new("n1", TimeSpan.FromSeconds(10));

    [Fact]
    public void No_reading_is_no_answer_and_says_why()
    {
        _watch.Failed("connection refused");
        Assert.Equal(HeartbeatTrend.NoAnswer, _watch.Trend);
        Assert.Contains("connection refused", _watch.Describe());
    }

    [Fact]
    public void One_fresh_reading_proves_nothing()
    {
        _watch.Read(5, TimeSpan.FromSeconds(0.2));
        Assert.Equal(HeartbeatTrend.Inconclusive, _watch.Trend);
    }

    [Fact]
    public void A_growing_sequence_is_advancing_even_after_a_failed_read()
    {
        _watch.Read(5, TimeSpan.FromSeconds(1));
        _watch.Failed("timeout");
        _watch.Read(6, TimeSpan.FromSeconds(0.1));
        Assert.Equal(HeartbeatTrend.Advancing, _watch.Trend);
    }

    [Fact]
    public void The_same_sequence_older_than_the_threshold_is_stale()
    {
        _watch.Read(5, TimeSpan.FromSeconds(9.9));
        Assert.Equal(HeartbeatTrend.Inconclusive, _watch.Trend);
        _watch.Read(5, TimeSpan.FromSeconds(10));
        Assert.Equal(HeartbeatTrend.Stale, _watch.Trend);
        Assert.True(_watch.IsSettled);
    }
}
