namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The HA stack with a NodeRegistry that waits a hundred silent rounds (50 s here) before removing a member,
/// so that while the database is away no instance drops out of its ring and back: what a test
/// sees then is the services' own handling of the outage, not a ring change that hides it.
/// </summary>
public sealed class StableRingHaStack() : HaStack(fleetSize: 4)
{
    protected override IEnumerable<(string Key, string Value)> MoreSettings => [("NodeRegistry__MissingRoundsBeforeRemoval", "100")];
}
