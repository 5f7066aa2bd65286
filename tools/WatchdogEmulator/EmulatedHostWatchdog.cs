namespace CloudBus.WatchdogEmulator;

/// <summary>The watchdog's state: armed with a timeout, the deadline each pet moves, expired once.</summary>
public sealed class EmulatedHostWatchdog(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _deadline;

    public int TimeoutSeconds { get; private set; }

    public void Arm(int timeoutSeconds)
    {
        lock (_gate)
        {
            TimeoutSeconds = timeoutSeconds;
            _deadline = clock.GetUtcNow().AddSeconds(timeoutSeconds);
        }
    }

    /// <summary>Moves the deadline; a pet before any arm (or after an expiry) does nothing.</summary>
    public void Pet()
    {
        lock (_gate)
        {
            if (_deadline is not null) _deadline = clock.GetUtcNow().AddSeconds(TimeoutSeconds);
        }
    }

    /// <summary>True once when the deadline passed; the watchdog is disarmed from then on.</summary>
    public bool Expired()
    {
        lock (_gate)
        {
            if (_deadline is not { } deadline || clock.GetUtcNow() < deadline) return false;
            _deadline = null;
            return true;
        }
    }
}
