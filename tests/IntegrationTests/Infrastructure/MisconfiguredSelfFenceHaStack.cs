namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Agents that let their VMs run 12 s after losing storage (longer than a verdict and a BMC
/// timeout take) while HaOrchestrator is configured for 2 s: a misconfiguration the hosts' own
/// statement in their heartbeats must make harmless.
/// </summary>
public sealed class MisconfiguredSelfFenceHaStack() : HaStack(fleetSize: 3)
{
    public static readonly TimeSpan RealSelfFenceAfter = TimeSpan.FromSeconds(12);

    protected override TimeSpan AgentsSelfFenceAfter => RealSelfFenceAfter;

    protected override IEnumerable<string> TagsOf(string hostId) => [];
}
