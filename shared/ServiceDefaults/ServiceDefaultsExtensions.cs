using CloudBus.ServiceDefaults.Bus;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Health;
using CloudBus.ServiceDefaults.Http;
using CloudBus.ServiceDefaults.Membership;
using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Routing;
using CloudBus.ServiceDefaults.Scheduling;
using CloudBus.ServiceDefaults.Security;
using CloudBus.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults;

/// <summary>
/// The wiring every CloudBus service repeats, in one place (the eShop ServiceDefaults idea):
/// identity, telemetry, health endpoints, the bus, the database with its migrations, and the
/// membership heartbeat.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Everything a control-plane service needs: the basics, the bus, the database and membership.</summary>
    public static ServiceIdentity AddServiceDefaults(
        this WebApplicationBuilder builder,
        ServiceDefinition definition,
        Action<IBusRegistrationConfigurator, ServiceIdentity>? configureConsumers = null)
    {
        var identity = builder.AddServiceBasics(definition.Name);
        var services = builder.Services;
        services.AddSingleton(definition);
        services.AddOperatorAuthentication();
        // Problems described field by field in every document (ApiResponses adds them to each route).
        services.AddOpenApi(openApi => openApi.AddSchemaTransformer<ProblemFieldDescriptions>().AddOperationTransformer<ResponseDescriptions>());
        services.AddCloudBusMessaging(identity, bus =>
        {
            if (definition.HasRing) services.AddRingRouting(bus, identity);
            configureConsumers?.Invoke(bus, identity);
        });
        services.AddCloudBusDatabase(identity, definition);
        services.AddSingleton(provider => new ScheduledMessages(
            provider.GetRequiredService<Npgsql.NpgsqlDataSource>(), definition.Schema, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UnitsOfWork>();
        services.AddHostedService<ScheduledMessageDispatcher>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag]);
        services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IGaugeSource, OutboxGauge>();
        services.AddHostedService<GaugeRefresher>();

        services.AddOptions<MembershipOptions>()
            .BindConfiguration(MembershipOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<MembershipHeartbeatService>();
        return identity;
    }

    /// <summary>
    /// What every process needs, including the host agent that runs on hypervisors without a bus or
    /// database: identity, a clock, problem details, one-line logs, telemetry and health checks.
    /// </summary>
    public static ServiceIdentity AddServiceBasics(this WebApplicationBuilder builder, string serviceName)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        var identity = ServiceIdentity.Create(serviceName, TimeProvider.System);
        services.AddSingleton(identity);
        services.AddApiHardening();
        builder.Logging.AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss.fff "; });
        // No appsettings.json (test projects reference several services and their files would
        // collide), so the usual default lives here: per-request framework logs would drown ours.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        services.AddCloudBusTelemetry(builder.Configuration, identity);
        services.AddHealthChecks();
        return identity;
    }

    /// <summary>
    /// Applies migrations, puts operator authentication in front of every route but health, maps
    /// the health, instance and audit endpoints, and runs until shutdown.
    /// </summary>
    public static async Task RunServiceAsync(this WebApplication app)
    {
        app.UseApiHardening();
        app.UseOperatorAuthentication();
        var migrations = app.Services.GetService<MigrationRunner>();
        if (migrations is not null)
            await StartupMigrations.ApplyAsync(migrations, app.Services.GetRequiredService<TimeProvider>(),
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupMigrations).FullName!), app.Lifetime.ApplicationStopping);
        app.MapHealthEndpoints();
        // Which instance answers: operators (and tests) tell instances of one service apart by it.
        app.MapGet("/instance", (ServiceIdentity identity) => Results.Ok(identity)).ForViewers()
            .Answers<ServiceIdentity>("The instance that answered: its service, id and start.");
        app.MapAuditEndpoints();
        // The API's description (/openapi/v1.json): what the route tests and clients are checked against.
        app.MapOpenApi().ForViewers();
        // Metrics for Prometheus (text format). A read like any other: a viewer's token, as every route needs one.
        app.MapPrometheusScrapingEndpoint().ForViewers();
        await app.RunAsync();
    }
}
