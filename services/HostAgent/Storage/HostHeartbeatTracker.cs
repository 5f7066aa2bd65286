namespace CloudBus.HostAgent.Storage;

/// <summary>
/// A host's own view of its storage heartbeat: the last sequence written, when the last write
/// succeeded, and whether writes are failing right now. Not thread-safe: the simulation guards
/// it with the fleet lock, the libvirt driver writes from one loop.
/// </summary>
public sealed class HostHeartbeatTracker(DateTimeOffset bootedAt)
{
    /// <summary>Null until the first write looks up the sequence already on storage (see <see cref="IHeartbeatRound"/>).</summary>
    public long? Sequence { get; private set; }

    public DateTimeOffset LastWrittenAt { get; private set; } = bootedAt;

    public bool Failing { get; private set; }

    public TimeSpan StaleFor(DateTimeOffset now) => now - LastWrittenAt;

    /// <summary>
    /// A host that just booted gets a full SelfFenceAfter to write its first heartbeat; the
    /// sequence carries on so that neighbours see it advance, never go back.
    /// </summary>
    public void Rebooted(DateTimeOffset now)
    {
        LastWrittenAt = now;
        Failing = false;
    }

    /// <summary>Records a successful write; true if writes had been failing until now.</summary>
    public bool Written(long sequence, DateTimeOffset at)
    {
        var recovered = Failing;
        Sequence = sequence;
        LastWrittenAt = at;
        Failing = false;
        return recovered;
    }

    /// <summary>Marks writes as failing; true the first time, so the failure is logged once per episode.</summary>
    public bool MarkFailing()
    {
        var newlyFailing = !Failing;
        Failing = true;
        return newlyFailing;
    }
}
