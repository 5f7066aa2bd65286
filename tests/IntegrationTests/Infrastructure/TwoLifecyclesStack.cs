namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Two VmLifecycle instances, a short orphaned-skip TTL (5 s), a short grace period (2 s) and graceful stops of 300 ms.</summary>
public sealed class TwoLifecyclesStack() : ControlPlaneStack(hostMonitors: 1, nodeRegistries: 1, fleetSize: 3, vmLifecycles: 2)
{
    public static readonly TimeSpan OrphanTtl = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromMilliseconds(300);

    protected override IEnumerable<(string Key, string Value)> ExtraSettings =>
    [
        ("HostMonitor__OrphanedSkipTtl", OrphanTtl.ToString()),
        ("VmLifecycle__GracefulStopTimeout", GracefulStopTimeout.ToString()),
    ];
}
