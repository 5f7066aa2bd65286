using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Telemetry;

/// <summary>
/// One <see cref="MeteredHaStack"/> for the metrics tests that do not need a fresh one (MetricsTests
/// counts samples from zero and has its own): one stack started fewer on a 2-core machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedMeteredStack : ICollectionFixture<MeteredHaStack>
{
    public const string Name = "metered HA stack";
}
