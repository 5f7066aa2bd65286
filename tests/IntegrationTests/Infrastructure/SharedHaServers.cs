namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The test classes that share one set of <see cref="HaServers"/>, started once for all of them.
/// A class that kills a node restarts it before it ends (and <see cref="HaServers.EnsureAllRunningAsync"/>
/// repairs what a failed test left down).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedHaServers : ICollectionFixture<HaServers>
{
    public const string Name = "HA servers";
}
