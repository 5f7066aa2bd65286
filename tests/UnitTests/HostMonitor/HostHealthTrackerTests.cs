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
        Assert.Equal(new HostHealthChange(HostStatus.Connecting, HostStatus.Connected, "answered ping"), Committed(tracker, tracker.RecordSuccess(_clock.GetUtcNow())));
        return tracker;
    }

    /// <summary>What the announcer does once the change is stored and announced.</summary>
    private static HostHealthChange? Committed(HostHealthTracker tracker, HostHealthChange? change)
    {
        if (change is not null) tracker.Apply(change);
        return change;
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
        var change = Committed(tracker, tracker.RecordMiss(_clock.GetUtcNow(), "connection refused"));

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
        Assert.Equal(HostStatus.Suspect, Committed(tracker, tracker.RecordMiss(_clock.GetUtcNow(), "timeout"))!.To);

        _clock.Advance(TimeSpan.FromSeconds(5));
        var change = Committed(tracker, tracker.RecordSuccess(_clock.GetUtcNow()));

        Assert.Equal(new HostHealthChange(HostStatus.Suspect, HostStatus.Connected, "answered ping after 1 missed"), change);
        Assert.Equal(_clock.GetUtcNow(), tracker.LastGoodPingAt);
        Assert.Empty(tracker.RecentErrors);
    }

    [Fact]
    public void A_second_answer_before_the_recovery_is_stored_gives_the_same_reason()
    {
        // Seen in CI: the recovery read "answered ping" because a second ping answered while the
        // first one's change was still being stored.
        var tracker = ConnectedTracker(k: 2);
        tracker.RecordMiss(_clock.GetUtcNow(), "timeout");
        Committed(tracker, tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));

        var first = tracker.RecordSuccess(_clock.GetUtcNow());
        var second = Committed(tracker, tracker.RecordSuccess(_clock.GetUtcNow()));

        Assert.Equal(first, second);
        Assert.Equal("answered ping after 2 missed", tracker.Reason);
        tracker.RecordMiss(_clock.GetUtcNow(), "timeout");
        Assert.Null(tracker.RecordSuccess(_clock.GetUtcNow()));
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
        Assert.NotNull(Committed(tracker, tracker.RecordMiss(_clock.GetUtcNow(), "timeout")));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
    }

    [Fact]
    public void A_change_not_yet_committed_leaves_the_status_as_it_was_and_is_proposed_again()
    {
        var tracker = ConnectedTracker(k: 2);
        tracker.RecordMiss(_clock.GetUtcNow(), "timeout");
        var first = tracker.RecordMiss(_clock.GetUtcNow(), "timeout"); // the database was away: not applied

        Assert.Equal(HostStatus.Suspect, first!.To);
        Assert.Equal(HostStatus.Connected, tracker.Status);
        var again = tracker.RecordMiss(_clock.GetUtcNow(), "timeout");
        Assert.Equal((HostStatus.Connected, HostStatus.Suspect), (again!.From, again.To));
        Assert.Contains("3 consecutive pings missed", again.Reason);

        tracker.Apply(again);
        tracker.Apply(first); // a late commit of a change whose starting point is gone changes nothing
        Assert.Equal(HostStatus.Suspect, tracker.Status);
    }

    [Fact]
    public void Memory_takes_a_status_stored_elsewhere()
    {
        var tracker = ConnectedTracker(k: 1);
        tracker.Reload(HostStatus.Down, "fenced by BMC power off");
        Assert.Equal((HostStatus.Down, "fenced by BMC power off"), (tracker.Status, tracker.Reason));
        Assert.Equal(new HostHealthChange(HostStatus.Down, HostStatus.Connected, "answered ping"), tracker.RecordSuccess(_clock.GetUtcNow()));
    }

    [Fact]
    public void A_host_in_maintenance_is_never_suspected_and_returns_through_connecting()
    {
        var tracker = ConnectedTracker(k: 1);
        Assert.Equal(HostStatus.Maintenance, Committed(tracker, tracker.ProposeMaintenance(true, "disk swap"))!.To);
        Assert.Null(tracker.ProposeMaintenance(true, "again"));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "powered off"));
        Assert.Null(tracker.RecordSuccess(_clock.GetUtcNow()));
        Assert.Equal(HostStatus.Maintenance, tracker.Status);

        Assert.Equal(new HostHealthChange(HostStatus.Maintenance, HostStatus.Connecting, "done"), Committed(tracker, tracker.ProposeMaintenance(false, "done")));
        Assert.Equal(HostStatus.Connected, Committed(tracker, tracker.RecordSuccess(_clock.GetUtcNow()))!.To);
        Assert.Null(tracker.ProposeMaintenance(false, "again"));
    }

    [Fact]
    public void A_verdict_applies_to_a_suspect_host_only_and_an_answer_makes_it_connected_again()
    {
        var tracker = ConnectedTracker(k: 1);
        Assert.Null(tracker.ProposeVerdict(HostStatus.Down, "fenced"));
        Committed(tracker, tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
        Assert.Equal(HostStatus.Suspect, tracker.Status);

        Assert.Equal(new HostHealthChange(HostStatus.Suspect, HostStatus.Disconnected, "alive"), Committed(tracker, tracker.ProposeVerdict(HostStatus.Disconnected, "alive")));
        Assert.Null(tracker.RecordMiss(_clock.GetUtcNow(), "timeout"));
        Assert.Equal(new HostHealthChange(HostStatus.Disconnected, HostStatus.Down, "fenced"), Committed(tracker, tracker.ProposeVerdict(HostStatus.Down, "fenced")));
        Assert.Null(tracker.ProposeVerdict(HostStatus.Disconnected, "late"));
        Assert.Equal(HostStatus.Connected, tracker.RecordSuccess(_clock.GetUtcNow())!.To);
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.ProposeVerdict(HostStatus.Connected, "no"));
    }
}
