namespace CloudBus.HostAgent.Watchdog;

/// <summary>
/// What resets the host when the agent stops proving it is alive: armed with a timeout when
/// opened, it resets the host unless petted within each timeout. Never disarmed by the agent: an
/// agent that stops (cleanly or not) and does not come back within the timeout resets its host,
/// which is what lets the control plane trust the host's self-fence.
/// </summary>
public interface IWatchdog : IDisposable
{
    /// <summary>Whether a watchdog is armed and the last pet reached it (what the heartbeat states).</summary>
    bool Armed { get; }

    /// <summary>Proves the agent alive for one more timeout. Failing to reach the watchdog leaves <see cref="Armed"/> false.</summary>
    void Pet();
}

/// <summary>No watchdog configured or none could be opened: the heartbeat says so, and only a BMC can fence this host.</summary>
public sealed class NoWatchdog : IWatchdog
{
    public bool Armed => false;

    public void Pet()
    {
    }

    public void Dispose()
    {
    }
}
