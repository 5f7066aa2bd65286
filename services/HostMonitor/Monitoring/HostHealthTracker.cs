using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// One host's ping history and the decisions it drives: a Connected host becomes Suspect only
/// after <c>missesBeforeSuspect</c> consecutive misses (one miss is noise, not evidence), and a
/// Suspect host that answers again is Connected. A decision is only a proposal: <see cref="Status"/>
/// changes when <see cref="Apply"/> is called, after the change was stored and its announcement
/// committed, so memory never leads the database. Pure: callers pass the time; not thread-safe,
/// so callers lock the <see cref="MonitoredHost"/>.
/// </summary>
public sealed class HostHealthTracker(int missesBeforeSuspect, HostStatus initialStatus = HostStatus.Connecting, string reason = "registered")
{
    private readonly Queue<string> _recentErrors = new();
    /// <summary>The misses before the host answered again, kept until its recovery is applied: a
    /// second answer before that (the first proposal still being stored) proposes the same reason.</summary>
    private int _missesBeforeAnswer;

    /// <summary>The status as last committed (or loaded from the database).</summary>
    public HostStatus Status { get; private set; } = initialStatus;
    public DateTimeOffset? LastGoodPingAt { get; private set; }
    public int ConsecutiveMisses { get; private set; }
    /// <summary>Pings recorded since this instance took the host over (for operators and tests).</summary>
    public long Pings { get; private set; }
    public string Reason { get; private set; } = reason;

    /// <summary>The errors of the current run of misses, oldest first (at most <c>missesBeforeSuspect</c>).</summary>
    public IReadOnlyList<string> RecentErrors => _recentErrors.ToList();

    /// <returns>The change this answer calls for (Connected), or null.</returns>
    public HostHealthChange? RecordSuccess(DateTimeOffset at)
    {
        Pings++;
        LastGoodPingAt = at;
        if (ConsecutiveMisses > 0) _missesBeforeAnswer = ConsecutiveMisses;
        ConsecutiveMisses = 0;
        _recentErrors.Clear();
        return Status is HostStatus.Connected or HostStatus.Maintenance
            ? null
            : Propose(HostStatus.Connected, _missesBeforeAnswer == 0 ? "answered ping" : $"answered ping after {_missesBeforeAnswer} missed");
    }

    /// <returns>The change this miss calls for (Suspect), or null. Proposed again on every further miss until applied.</returns>
    public HostHealthChange? RecordMiss(DateTimeOffset at, string error)
    {
        Pings++;
        ConsecutiveMisses++;
        _recentErrors.Enqueue($"{at:O} {error}");
        while (_recentErrors.Count > missesBeforeSuspect) _recentErrors.Dequeue();

        if (Status == HostStatus.Maintenance) return null;
        if (Status == HostStatus.Connected && ConsecutiveMisses >= missesBeforeSuspect)
            return Propose(HostStatus.Suspect, $"{ConsecutiveMisses} consecutive pings missed; last: {error}");
        if (Status == HostStatus.Connecting)
            Reason = $"not answering ({ConsecutiveMisses} missed): {error}";
        return null;
    }

    /// <summary>
    /// HaOrchestrator's conclusion about a suspect host: Disconnected (alive, but the management
    /// path is broken) or Down (fenced). Only a host still not answering takes it; one that answered
    /// in the meantime is Connected and stays so.
    /// </summary>
    public HostHealthChange? ProposeVerdict(HostStatus to, string reason)
    {
        if (to is not (HostStatus.Disconnected or HostStatus.Down))
            throw new ArgumentOutOfRangeException(nameof(to), to, "A verdict makes a host Disconnected or Down.");
        var applies = Status is HostStatus.Suspect || (Status, to) is (HostStatus.Disconnected, HostStatus.Down);
        return applies && Status != to ? Propose(to, reason) : null;
    }

    /// <summary>
    /// An operator takes the host out of service (it is not pinged until it leaves maintenance), or
    /// puts it back: Connecting until it answers a ping, like a newly registered host.
    /// </summary>
    public HostHealthChange? ProposeMaintenance(bool inMaintenance, string reason) => inMaintenance
        ? Status == HostStatus.Maintenance ? null : Propose(HostStatus.Maintenance, reason)
        : Status == HostStatus.Maintenance ? Propose(HostStatus.Connecting, reason) : null;

    /// <summary>A proposed change was stored and announced: memory follows. Ignored if the status moved on meanwhile.</summary>
    public void Apply(HostHealthChange change)
    {
        if (Status != change.From) return;
        if (change.From == HostStatus.Maintenance) ForgetMisses();
        if (change.To == HostStatus.Connected) _missesBeforeAnswer = 0;
        Status = change.To;
        Reason = change.Reason;
    }

    /// <summary>The database holds another status than memory (another instance, or another message, changed it): memory follows.</summary>
    public void Reload(HostStatus stored, string reason)
    {
        if (Status == HostStatus.Maintenance && stored != HostStatus.Maintenance) ForgetMisses();
        Status = stored;
        Reason = reason;
    }

    private void ForgetMisses()
    {
        ConsecutiveMisses = 0;
        _recentErrors.Clear();
    }

    private HostHealthChange Propose(HostStatus to, string reason) => new(Status, to, reason);
}
