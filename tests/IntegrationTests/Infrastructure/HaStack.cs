namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system with a BMC per simulated host and HA's times shortened in proportion (the
/// agents write their heartbeat every 0.5 s and self-fence after 2 s; a heartbeat is stale after
/// 3 s), so that a host failure runs its whole course in seconds with the production logic.
/// </summary>
public class HaStack : ControlPlaneStack
{
    public static readonly TimeSpan AgentSelfFenceAfter = TimeSpan.FromSeconds(2);

    public HaStack() : this(fleetSize: 6)
    {
    }

    protected HaStack(int fleetSize, int haOrchestrators = 1) : base(hostMonitors: 1, nodeRegistries: 1, fleetSize, haOrchestrators: haOrchestrators)
    {
    }

    /// <summary>The last host carries the <c>ha</c> tag: HA restarts prefer it.</summary>
    public string HaTaggedHost => FleetHostIds[^1];

    protected override bool WithBmcs => true;

    /// <summary>Registered with a dead BMC address (nothing listens there) before its real one: fencing must fail over.</summary>
    public string DeadFirstBmcHost => FleetHostIds[^2];

    public string DeadBmcAddress { get; } = $"127.0.0.1:{FreePort.Next()}";

    protected override IReadOnlyList<string> BmcAddressesOf(string hostId) =>
        hostId == DeadFirstBmcHost ? [DeadBmcAddress, .. base.BmcAddressesOf(hostId)] : base.BmcAddressesOf(hostId);

    protected override IEnumerable<string> TagsOf(string hostId) => hostId == HaTaggedHost ? ["ha"] : [];

    protected override IEnumerable<KeyValuePair<string, string>> AgentSettings =>
    [
        new("Simulated__HeartbeatInterval", "00:00:00.500"),
        new("Simulated__SelfFenceAfter", AgentsSelfFenceAfter.ToString()),
    ];

    /// <summary>The self-fence time the agents really use (HaOrchestrator is told <see cref="AgentSelfFenceAfter"/>).</summary>
    protected virtual TimeSpan AgentsSelfFenceAfter => AgentSelfFenceAfter;

    protected override IEnumerable<(string Key, string Value)> ExtraSettings =>
    [
        ("Ha__HeartbeatStaleAfter", "00:00:03"),
        ("Ha__SelfFenceAfter", AgentSelfFenceAfter.ToString()),
        ("Ha__SelfFenceMargin", "00:00:00.500"),
        ("Ha__HeartbeatReadInterval", "00:00:00.250"),
        ("Ha__AgentCallTimeout", "00:00:01"),
        ("Ha__InvestigationDeadline", "00:00:10"),
        ("Ha__FencingDeadline", "00:00:20"),
        ("Ha__InvestigationRetryInterval", "00:00:01"),
        ("Ha__DisconnectedRecheckInterval", "00:00:02"),
        ("Ha__RestartRetryInterval", "00:00:01"),
        ("Ha__RestartMaxAttempts", "3"),
        ("Fencing__BmcCallTimeout", "00:00:03"),
        .. MoreSettings,
    ];

    /// <summary>Settings a subclass of this stack adds.</summary>
    protected virtual IEnumerable<(string Key, string Value)> MoreSettings => [];
}
