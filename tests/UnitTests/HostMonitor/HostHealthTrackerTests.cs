using CloudBus.HostMonitor.Monitoring;
using CloudBus.Messages.Hosts;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.HostMonitor;

public sealed class HostHealthTrackerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private HostHealthTracker ConnectedTracker(int k = 3)
    {
        var tracker = new HostHealthTracker(k);
        Assert.Equal(new HostHealthChange(HostStatus.Connecting, HostStatus.Connected, "answered ping"), tracker.RecordSuccess(_clock.GetUtcNow()));
        return tracker;
    }

    [Fact]
    public void Host_is_suspect_only_after_k_consecutive_misses()
    {
        var tracker = ConnectedTracker(k: 3);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
        Assert.Equal(HostStatus.Connected, tracker.Status);

        _clock.Advance(TimeSpan.FromSeconds(2));
        var change = tracker.RecordMiss(_clock.GetUtcNow(), "connection refused");

        Assert.NotNull(change);
        Assert.Equal(HostStatus.Suspect, change.To);
        Assert.Contains("3 consecutive pings missed", change.Reason);
        Assert.Equal(3, tracker.RecentErrors.Count);
        Assert.EndsWith("connection refused", tracker.RecentErrors[^1]);
    }

    [Fact]
    public void A_good_ping_between_misses_resets_the_count()
    {
        var tracker = ConnectedTracker(k: 3);
        tracker.RecordMiss(_clock.GetUtcNow(), "timeout");
        tracker.RecordMiss(_clock.GetUtcNow(), "timeout");
        Assert.Null(tracker.RecordSuccess(_clock.GetUtcNow()));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));

        Assert.Equal(HostStatus.Connected, tracker.Status);
        Assert.Equal(2, tracker.ConsecutiveMisses);
    }

    [Fact]
    public void Suspect_host_that_answers_recovers_and_keeps_the_time_of_the_good_ping()
    {
        var tracker = ConnectedTracker(k: 1);
        Assert.Equal(HostStatus.Suspect, tracker.RecordMiss(_clock.GetUtcNow(), "timeout")!.To);

        _clock.Advance(TimeSpan.FromSeconds(5));
        var change = tracker.RecordSuccess(_clock.GetUtcNow());

        Assert.Equal(new HostHealthChange(HostStatus.Suspect, HostStatus.Connected, "answered ping after 1 missed"), change);
        Assert.Equal(_clock.GetUtcNow(), tracker.LastGoodPingAt);
        Assert.Empty(tracker.RecentErrors);
    }

    [Fact]
    public void A_host_that_never_answered_is_not_suspected_but_says_why()
    {
        var tracker = new HostHealthTracker(2);
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "refused"));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "refused"));
        Assert.Equal(HostStatus.Connecting, tracker.Status);
        Assert.Equal("not answering (2 missed): refused", tracker.Reason);
    }

    [Fact]
    public void Suspect_host_missing_more_pings_is_not_suspected_twice()
    {
        var tracker = ConnectedTracker(k: 1);
        Assert.NotNull(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
    }

    [Fact]
    public void A_host_in_maintenance_is_never_suspected_and_returns_through_connecting()
    {
        var tracker = ConnectedTracker(k: 1);
        Assert.Equal(HostStatus.Maintenance, tracker.EnterMaintenance("disk swap")!.To);
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "powered off"));
        Assert.Null(tracker.RecordSuccess(_clock.GetUtcNow()));
        Assert.Equal(HostStatus.Maintenance, tracker.Status);

        Assert.Equal(new HostHealthChange(HostStatus.Maintenance, HostStatus.Connecting, "done"), tracker.LeaveMaintenance("done"));
        Assert.Equal(HostStatus.Connected, tracker.RecordSuccess(_clock.GetUtcNow())!.To);
        Assert.Null(tracker.LeaveMaintenance("again"));
    }

    [Fact]
    public void A_verdict_applies_to_a_suspect_host_only_and_an_answer_makes_it_connected_again()
    {
        var tracker = ConnectedTracker(k: 1);
        Assert.Null(tracker.RecordVerdict(HostStatus.Down, "fenced"));
        tracker.RecordMiss(_clock.GetUtcNow(), "timeout");
        Assert.Equal(HostStatus.Suspect, tracker.Status);

        Assert.Equal(new HostHealthChange(HostStatus.Suspect, HostStatus.Disconnected, "alive"), tracker.RecordVerdict(HostStatus.Disconnected, "alive"));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
        Assert.Equal(new HostHealthChange(HostStatus.Disconnected, HostStatus.Down, "fenced"), tracker.RecordVerdict(HostStatus.Down, "fenced"));
        Assert.Null(tracker.RecordVerdict(HostStatus.Disconnected, "late"));
        Assert.Equal(HostStatus.Connected, tracker.RecordSuccess(_clock.GetUtcNow())!.To);
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.RecordVerdict(HostStatus.Connected, "no"));
    }
}
