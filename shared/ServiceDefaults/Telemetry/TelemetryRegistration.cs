using System.Diagnostics;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CloudBus.ServiceDefaults.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>
    /// Traces and metrics for MassTransit, Npgsql, ASP.NET Core, outgoing HTTP and the service's own
    /// <see cref="ActivitySource"/> (named after the service). Exported over OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, so a developer machine without a collector is quiet.
    /// OpenTelemetry.Extensions.Hosting is not available to us; the core SDK's builder does the same
    /// once a hosted service makes the container build the providers at start.
    /// </summary>
    public static IServiceCollection AddCloudBusTelemetry(
        this IServiceCollection services, IConfiguration configuration, ServiceIdentity identity)
    {
        var exportOtlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var builder = new ServiceCollectionTelemetryBuilder(services);

        builder.ConfigureResource(resource => resource.AddService(
            serviceName: identity.ServiceName, serviceInstanceId: identity.InstanceId));
        builder.WithTracing(tracing =>
        {
            tracing.AddSource(identity.ServiceName)
                .AddSource(Scheduling.ScheduledMessages.Tracing.Name)
                .AddSource(DiagnosticHeaders.DefaultListenerName)
                .AddNpgsql()
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation();
            if (exportOtlp) tracing.AddOtlpExporter();
        });
        builder.WithMetrics(metrics =>
        {
            metrics.AddMeter(identity.ServiceName)
                .AddMeter(InstrumentationOptions.MeterName)
                .AddNpgsqlInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation();
            if (exportOtlp) metrics.AddOtlpExporter();
        });

        services.AddHostedService<TelemetryProviderActivator>();
        return services;
    }

    /// <summary>The one-line builder the core SDK's <c>WithTracing</c>/<c>WithMetrics</c> extend.</summary>
    private sealed class ServiceCollectionTelemetryBuilder(IServiceCollection services) : IOpenTelemetryBuilder
    {
        public IServiceCollection Services => services;
    }
}
