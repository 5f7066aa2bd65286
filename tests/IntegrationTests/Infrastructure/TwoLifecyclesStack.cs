namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Two VmLifecycle instances, a short grace period (2 s) and graceful stops of 300 ms. The orphaned
/// skip TTL stays at its default (10 min): whatever a killed instance left in flight is settled by
/// the other instance, never by sync after the TTL.
/// </summary>
public sealed class TwoLifecyclesStack() : ControlPlaneStack(hostMonitors: 1, nodeRegistries: 1, fleetSize: 3, vmLifecycles: 2)
{
    public static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromMilliseconds(300);

    protected override IEnumerable<(string Key, string Value)> ExtraSettings =>
    [
        ("VmLifecycle__GracefulStopTimeout", GracefulStopTimeout.ToString()),
    ];
}
