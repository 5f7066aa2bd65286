using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>The meter factory a service gets from its host, for tests that build a service's classes by hand.</summary>
public static class TestMeters
{
    public static IMeterFactory Factory { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}
