using CloudBus.ServiceDefaults.Bus;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Health;
using CloudBus.ServiceDefaults.Membership;
using CloudBus.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults;

/// <summary>
/// The wiring every CloudBus service repeats, in one place (the eShop ServiceDefaults idea):
/// identity, telemetry, health endpoints, the bus, the database with its migrations, and the
/// membership heartbeat.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static ServiceIdentity AddServiceDefaults(
        this WebApplicationBuilder builder,
        ServiceDefinition definition,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        var identity = ServiceIdentity.Create(definition.Name, TimeProvider.System);
        services.AddSingleton(identity);
        services.AddProblemDetails();
        builder.Logging.AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss.fff "; });

        services.AddCloudBusTelemetry(builder.Configuration, identity);
        services.AddHealthChecks();
        services.AddCloudBusMessaging(identity, configureConsumers);
        if (definition.Schema is not null)
        {
            services.AddCloudBusDatabase(identity, definition, definition.Schema);
            services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag]);
        }

        services.AddOptions<MembershipOptions>()
            .BindConfiguration(MembershipOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<MembershipHeartbeatService>();
        return identity;
    }

    /// <summary>Applies migrations, maps the health endpoints and runs until shutdown.</summary>
    public static async Task RunServiceAsync(this WebApplication app)
    {
        var migrations = app.Services.GetService<MigrationRunner>();
        if (migrations is not null)
            await migrations.MigrateAsync(app.Lifetime.ApplicationStopping);
        app.MapHealthEndpoints();
        await app.RunAsync();
    }
}
