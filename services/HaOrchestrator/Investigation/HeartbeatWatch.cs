namespace CloudBus.HaOrchestrator.Investigation;

/// <summary>
/// One neighbour's successive readings of a suspect's storage heartbeat, and what they show. A
/// single fresh reading proves nothing (a host that died a second ago still has a fresh
/// heartbeat); only a sequence that grows proves life, and only an age past the threshold with no
/// growth proves silence. Pure: callers feed readings.
/// </summary>
public sealed class HeartbeatWatch(string neighbourId, TimeSpan staleAfter)
{
    private long? _firstSequence;
    private readonly List<string> _errors = [];

    public string NeighbourId { get; } = neighbourId;
    public long? LatestSequence { get; private set; }
    public TimeSpan? LatestAge { get; private set; }
    public int Readings { get; private set; }
    /// <summary>The self-fence time the suspect states in its heartbeat (null when it does not say).</summary>
    public TimeSpan? StatedSelfFenceAfter { get; private set; }
    /// <summary>Whether the suspect's heartbeat says a watchdog backs its self-fence (null when it does not say).</summary>
    public bool? StatedWatchdog { get; private set; }

    /// <summary>Whether the neighbour reaches the suspect over the network itself (null: not asked or no answer).</summary>
    public bool? ReachesSuspect { get; set; }

    public void Read(long sequence, TimeSpan age, TimeSpan? statedSelfFenceAfter = null, bool? statedWatchdog = null)
    {
        StatedSelfFenceAfter = statedSelfFenceAfter ?? StatedSelfFenceAfter;
        StatedWatchdog = statedWatchdog ?? StatedWatchdog;
        _firstSequence ??= sequence;
        LatestSequence = sequence;
        LatestAge = age;
        Readings++;
    }

    public void Failed(string error)
    {
        // Keep the first and the latest few: enough to explain, bounded for a long watch.
        if (_errors.Count >= 3) _errors.RemoveAt(1);
        _errors.Add(error);
    }

    public HeartbeatTrend Trend =>
        LatestSequence is not { } latest ? HeartbeatTrend.NoAnswer
        : latest > _firstSequence ? HeartbeatTrend.Advancing
        : LatestAge >= staleAfter ? HeartbeatTrend.Stale
        : HeartbeatTrend.Inconclusive;

    /// <summary>Whether more readings could change the trend.</summary>
    public bool IsSettled => Trend is HeartbeatTrend.Advancing or HeartbeatTrend.Stale;

    public string Describe()
    {
        var reach = ReachesSuspect switch { true => "reaches it", false => "cannot reach it", null => "reach unknown" };
        return Trend switch
        {
            HeartbeatTrend.NoAnswer => $"neighbour {NeighbourId}: could not read the heartbeat ({string.Join("; ", _errors)}); {reach}",
            HeartbeatTrend.Advancing => $"neighbour {NeighbourId}: heartbeat advancing ({_firstSequence} -> {LatestSequence}); {reach}",
            HeartbeatTrend.Stale => $"neighbour {NeighbourId}: heartbeat stale, sequence {LatestSequence} written {LatestAge!.Value.TotalSeconds:0.0}s ago over {Readings} readings; {reach}",
            _ => $"neighbour {NeighbourId}: heartbeat not advancing but only {LatestAge!.Value.TotalSeconds:0.0}s old (sequence {LatestSequence}); {reach}",
        };
    }
}
