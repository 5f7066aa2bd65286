namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Two VmLifecycle instances, a short orphaned-skip TTL (5 s) and a short grace period (2 s).</summary>
public sealed class TwoLifecyclesStack() : ControlPlaneStack(hostMonitors: 1, nodeRegistries: 1, fleetSize: 3, vmLifecycles: 2)
{
    public static readonly TimeSpan OrphanTtl = TimeSpan.FromSeconds(5);

    protected override IEnumerable<(string Key, string Value)> ExtraSettings => [("HostMonitor__OrphanedSkipTtl", OrphanTtl.ToString())];
}
