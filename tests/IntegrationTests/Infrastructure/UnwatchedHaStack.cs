namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>A fleet whose hosts' heartbeats say no watchdog backs their self-fence: only a BMC can fence them.</summary>
public sealed class UnwatchedHaStack() : HaStack(fleetSize: 3)
{
    protected override IEnumerable<KeyValuePair<string, string>> AgentSettings => [.. base.AgentSettings, new("Simulated__Watchdog", "false")];

    protected override IEnumerable<string> TagsOf(string hostId) => [];
}
