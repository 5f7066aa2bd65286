using CloudBus.ServiceDefaults.Bus;
using CloudBus.Ring;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.ServiceDefaults.Routing;

public static class RoutingRegistration
{
    /// <summary>
    /// The instance's copy of its service's ring, kept current by RingChanged on a queue of its
    /// own and asked for at start, with the router for services that split resources among their
    /// instances, and the observers told when members leave.
    /// </summary>
    public static void AddRingRouting(this IServiceCollection services, IBusRegistrationConfigurator bus, ServiceIdentity identity)
    {
        services.AddSingleton(new RingHolder(identity.ServiceName));
        services.AddSingleton<RoutingStats>();
        services.AddSingleton<Telemetry.IGaugeSource, RingMembersGauge>();
        services.AddScoped<RingRouter>();
        services.AddSingleton<RingUpdater>();
        services.AddSingleton<IRingObserver, DepartedQueueDrainer>();
        services.AddHostedService<RingBootstrapService>();
        var routedQueue = RoutedQueue.NameFor(identity.InstanceId);
        bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
        {
            if (name == routedQueue) RoutedQueue.Configure(endpoint, context.GetRequiredService<QueueTypes>());
        });
        bus.AddConsumer<RingChangedConsumer>(typeof(PerInstanceQueueDefinition<RingChangedConsumer>));
    }

    /// <summary>Puts a routed command's consumer on this instance's own queue.</summary>
    public static void AddRoutedConsumer<TConsumer>(this IBusRegistrationConfigurator bus, ServiceIdentity identity)
        where TConsumer : class, IConsumer
    {
        bus.AddConsumer<TConsumer>().Endpoint(endpoint => endpoint.Name = RoutedQueue.NameFor(identity.InstanceId));
        bus.AddSingleton(new RoutedConsumerType(typeof(TConsumer)));
    }
}
