namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>An <see cref="HaStack"/> whose gauges are read from the database every half second, so a test sees a change at once.</summary>
public sealed class MeteredHaStack : HaStack
{
    public MeteredHaStack() : base(fleetSize: 4)
    {
    }

    protected override IEnumerable<(string Key, string Value)> MoreSettings => [("Metrics__GaugeRefreshInterval", "00:00:00.500")];
}
