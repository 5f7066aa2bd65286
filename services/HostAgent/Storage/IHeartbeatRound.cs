namespace CloudBus.HostAgent.Storage;

/// <summary>
/// A driver's storage heartbeat, run by <see cref="HeartbeatWriterService"/>: write every host's
/// heartbeat, and kill the VMs of any host that could not write one for its self-fence time.
/// </summary>
public interface IHeartbeatRound
{
    /// <summary>How often heartbeats are written.</summary>
    TimeSpan Interval { get; }

    /// <summary>Writes the heartbeats, then runs the self-fence check.</summary>
    void Run();

    /// <summary>Only the self-fence check, run several times between writes.</summary>
    void SelfFenceIfStale();
}
