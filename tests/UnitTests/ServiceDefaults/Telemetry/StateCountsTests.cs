using CloudBus.ServiceDefaults.Telemetry;

namespace CloudBus.UnitTests.ServiceDefaults.Telemetry;

public sealed class StateCountsTests
{
    private static Dictionary<string, long> Observed(StateCounts counts) =>
        counts.Observe().ToDictionary(m => (string)m.Tags.ToArray().Single(t => t.Key == "state").Value!, m => m.Value);

    [Fact]
    public void Nothing_is_reported_before_the_first_read()
    {
        Assert.Empty(new StateCounts("state", ["Running", "Stopped"]).Observe());
    }

    [Fact]
    public void Every_known_state_is_reported_with_zero_when_empty_and_unknown_states_as_read()
    {
        var counts = new StateCounts("state", ["Running", "Stopped"]);
        counts.Update([("Running", 3), ("Migrating", 1)]);

        Assert.Equal(new Dictionary<string, long> { ["Running"] = 3, ["Stopped"] = 0, ["Migrating"] = 1 }, Observed(counts));
    }

    [Fact]
    public void A_new_read_replaces_the_last_one()
    {
        var counts = new StateCounts("state", ["Running", "Stopped"]);
        counts.Update([("Running", 3), ("Migrating", 1)]);
        counts.Update([("Stopped", 2)]);

        Assert.Equal(new Dictionary<string, long> { ["Running"] = 0, ["Stopped"] = 2 }, Observed(counts));
    }
}
