using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>
/// Resolves the tracer and meter providers when the host starts: they begin listening only once
/// built, and nothing else asks for them. The container owns them and disposes (flushes) them at
/// shutdown.
/// </summary>
internal sealed class TelemetryProviderActivator(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetService<TracerProvider>();
        services.GetService<MeterProvider>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
