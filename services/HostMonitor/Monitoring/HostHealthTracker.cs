using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// One host's ping history and the decision it drives: a Connected host becomes Suspect only
/// after <c>missesBeforeSuspect</c> consecutive misses (one miss is noise, not evidence), and a
/// Suspect host that answers again is Connected. Pure: callers pass the time; not thread-safe, so
/// one ping at a time per host.
/// </summary>
public sealed class HostHealthTracker(int missesBeforeSuspect, HostStatus initialStatus = HostStatus.Connecting)
{
    private readonly Queue<string> _recentErrors = new();

    public HostStatus Status { get; private set; } = initialStatus;
    public DateTimeOffset? LastGoodPingAt { get; private set; }
    public int ConsecutiveMisses { get; private set; }
    /// <summary>Pings recorded since this instance took the host over (for operators and tests).</summary>
    public long Pings { get; private set; }
    public string Reason { get; private set; } = "registered";

    /// <summary>The errors of the current run of misses, oldest first (at most <c>missesBeforeSuspect</c>).</summary>
    public IReadOnlyList<string> RecentErrors => _recentErrors.ToList();

    public HostHealthChange? RecordSuccess(DateTimeOffset at)
    {
        Pings++;
        LastGoodPingAt = at;
        var missed = ConsecutiveMisses;
        ConsecutiveMisses = 0;
        _recentErrors.Clear();
        return Status is HostStatus.Connected or HostStatus.Maintenance
            ? null
            : Change(HostStatus.Connected, missed == 0 ? "answered ping" : $"answered ping after {missed} missed");
    }

    public HostHealthChange? RecordMiss(DateTimeOffset at, string error)
    {
        Pings++;
        ConsecutiveMisses++;
        _recentErrors.Enqueue($"{at:O} {error}");
        while (_recentErrors.Count > missesBeforeSuspect) _recentErrors.Dequeue();

        if (Status == HostStatus.Maintenance) return null;
        if (Status == HostStatus.Connected && ConsecutiveMisses >= missesBeforeSuspect)
            return Change(HostStatus.Suspect, $"{ConsecutiveMisses} consecutive pings missed; last: {error}");
        if (Status == HostStatus.Connecting)
            Reason = $"not answering ({ConsecutiveMisses} missed): {error}";
        return null;
    }

    /// <summary>
    /// HaOrchestrator's conclusion about a suspect host: Disconnected (alive, but the management
    /// path is broken) or Down (fenced). Only a host still not answering takes it; one that answered
    /// in the meantime is Connected and stays so.
    /// </summary>
    public HostHealthChange? RecordVerdict(HostStatus to, string reason)
    {
        if (to is not (HostStatus.Disconnected or HostStatus.Down))
            throw new ArgumentOutOfRangeException(nameof(to), to, "A verdict makes a host Disconnected or Down.");
        var applies = Status is HostStatus.Suspect || (Status, to) is (HostStatus.Disconnected, HostStatus.Down);
        return applies && Status != to ? Change(to, reason) : null;
    }

    /// <summary>An operator takes the host out of service: it is not pinged until it leaves maintenance.</summary>
    public HostHealthChange? EnterMaintenance(string reason) =>
        Status == HostStatus.Maintenance ? null : Change(HostStatus.Maintenance, reason);

    /// <summary>Back in service: Connecting until it answers a ping, like a newly registered host.</summary>
    public HostHealthChange? LeaveMaintenance(string reason)
    {
        if (Status != HostStatus.Maintenance) return null;
        ConsecutiveMisses = 0;
        _recentErrors.Clear();
        return Change(HostStatus.Connecting, reason);
    }

    private HostHealthChange Change(HostStatus to, string reason)
    {
        var change = new HostHealthChange(Status, to, reason);
        Status = to;
        Reason = reason;
        return change;
    }
}
