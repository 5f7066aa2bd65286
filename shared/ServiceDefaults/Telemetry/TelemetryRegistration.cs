using System.Diagnostics;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
    /// Metrics are also kept for Prometheus, which scrapes them at <c>/metrics</c> (mapped for viewers by
    /// <see cref="ServiceDefaultsExtensions.RunServiceAsync"/>): a pull costs nothing until someone scrapes.
    /// OpenTelemetry.Extensions.Hosting starts the providers with the host and flushes them at shutdown.
    /// </summary>
    public static IServiceCollection AddCloudBusTelemetry(
        this IServiceCollection services, IConfiguration configuration, ServiceIdentity identity)
    {
        var exportOtlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var builder = services.AddOpenTelemetry();

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
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter();
            if (exportOtlp) metrics.AddOtlpExporter();
        });

        return services;
    }
}
