using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudBus.ServiceDefaults.Bus;

public static class BusRegistration
{
    /// <summary>Retries of a transiently failing message: with the backoff below, about 85 s in all.</summary>
    public const int TransientRetryLimit = 12;

    /// <summary>
    /// MassTransit on RabbitMQ from validated <see cref="RabbitMqOptions"/>. Queues are named after the
    /// service (for example <c>vm-lifecycle-host-registered</c>), so instances of one service compete
    /// on one queue while every service gets its own copy of each event.
    /// </summary>
    public static IServiceCollection AddCloudBusMessaging(
        this IServiceCollection services, ServiceIdentity identity, Action<IBusRegistrationConfigurator>? configureConsumers)
    {
        services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Start consuming before anything else runs: a message published before this instance's
        // queues are bound would otherwise miss them. A broker that stays away stops the start.
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(60);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddSingleton<ParkedMessageAlerts>();
        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(identity.ServiceName, false));
            configureConsumers?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(options.Host, (ushort)options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                    host.ConnectionName(identity.InstanceId);
                });
                // In-process retries only: this broker has no delayed-message plugin, so delayed
                // redelivery would wedge the queue. A database failover or broker reconnect takes
                // seconds to tens of seconds, so transient failures are retried with backoff for
                // about a minute and a half; anything else briefly. A message that still fails
                // goes to the endpoint's _error queue (nothing is lost) and raises an alert.
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(TransientFailures.IsTransient);
                    retry.Exponential(TransientRetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
                });
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Ignore<Exception>(TransientFailures.IsTransient);
                    retry.Intervals(100, 500, 2000);
                });
                rabbit.ConnectReceiveObserver(context.GetRequiredService<ParkedMessageAlerts>());
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
