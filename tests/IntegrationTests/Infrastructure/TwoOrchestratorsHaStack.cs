namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Two HaOrchestrator instances, each with one start in flight at a time and a short lease, so
/// a test can kill the one holding restarts and watch every VM still run once. One at a time keeps
/// a round of restarts going for several slowed starts in a row: a test polling from a loaded
/// machine still finds some ended while others are in flight (with three at a time, a round of
/// ten could end between two polls).
/// </summary>
public sealed class TwoOrchestratorsHaStack() : HaStack(fleetSize: 4, haOrchestrators: 2)
{
    public static readonly TimeSpan RestartLease = TimeSpan.FromSeconds(4);

    protected override IEnumerable<(string Key, string Value)> MoreSettings =>
    [
        ("Ha__RestartParallelism", "1"),
        ("Ha__RestartLease", RestartLease.ToString()),
        // Tests here slow the hosts' answers down to catch restarts in flight; pings get room
        // enough that a slowed host never looks dead.
        ("HostMonitor__PingInterval", "00:00:01"),
        ("HostMonitor__PingTimeout", "00:00:00.800"),
    ];
}
