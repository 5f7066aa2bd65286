namespace CloudBus.HostAgent.Libvirt;

/// <summary>A domain started, stopped, crashed... as libvirt announced it (VIR_DOMAIN_EVENT_ID_LIFECYCLE).</summary>
/// <param name="Event">virDomainEventType: 2 started, 5 stopped, 6 shut down, 8 crashed, ...</param>
/// <param name="Detail">The event's detail, e.g. for stopped: 0 shutdown, 1 destroyed, 2 crashed, 5 failed (the qemu process died).</param>
public sealed record DomainLifecycleEvent(string DomainName, int Event, int Detail)
{
    public const int Started = 2;
    public const int Stopped = 5;
    public const int StoppedFailed = 5;

    /// <summary>Not from libvirt: the connection was reopened, so events may have been missed; look again.</summary>
    public static readonly DomainLifecycleEvent Resync = new("", -1, 0);

    public string Describe() => Event switch
    {
        Started => "started",
        Stopped => Detail switch { 0 => "shut down", 1 => "destroyed", 2 => "crashed", StoppedFailed => "died (qemu process failed)", _ => $"stopped ({Detail})" },
        3 => "paused",
        4 => "resumed",
        6 => "shutting down",
        8 => "crashed",
        -1 => "connection to libvirt reopened",
        _ => $"event {Event} ({Detail})",
    };
}
