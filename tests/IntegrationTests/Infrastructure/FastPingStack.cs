namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Pings every 200 ms (timeout 150 ms), default k = 3 and 3 tries per ping: detection in about 0.6 s.</summary>
public sealed class FastPingStack() : ControlPlaneStack(hostMonitors: 1, nodeRegistries: 1, fleetSize: 4)
{
    public static readonly TimeSpan FastPingInterval = TimeSpan.FromMilliseconds(200);
    public const int MissesBeforeSuspect = 3;

    protected override IEnumerable<(string Key, string Value)> ExtraSettings =>
    [
        ("HostMonitor__PingInterval", FastPingInterval.ToString()),
        ("HostMonitor__PingTimeout", "00:00:00.150"),
        ("HostMonitor__MissesBeforeSuspect", MissesBeforeSuspect.ToString()),
    ];
}
