using CloudBus.Ring;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.ServiceDefaults.Routing;

public static class RoutingRegistration
{
    /// <summary>
    /// Ring routing for a service that splits resources among its instances: the instance's copy of
    /// its ring, kept current by RingChanged on a queue of its own, fetched at start, and the router.
    /// </summary>
    public static void AddRingRouting(this IServiceCollection services, IBusRegistrationConfigurator bus, ServiceIdentity identity)
    {
        services.AddSingleton(new RingHolder(identity.ServiceName));
        services.AddSingleton<RoutingStats>();
        services.AddScoped<RingRouter>();
        services.AddSingleton<RingUpdater>();
        services.AddSingleton<DepartedQueueDrainer>();
        services.AddHostedService<RingBootstrapService>();
        var routedQueue = RoutedQueue.NameFor(identity.InstanceId);
        bus.AddConfigureEndpointsCallback((name, endpoint) =>
        {
            if (name == routedQueue) RoutedQueue.Configure(endpoint);
        });
        bus.AddConsumer<RingChangedConsumer>().Endpoint(endpoint =>
        {
            endpoint.InstanceId = identity.InstanceId;
            endpoint.Temporary = true;
        });
    }

    /// <summary>Puts a routed command's consumer on this instance's own queue.</summary>
    public static void AddRoutedConsumer<TConsumer>(this IBusRegistrationConfigurator bus, ServiceIdentity identity)
        where TConsumer : class, IConsumer
    {
        bus.AddConsumer<TConsumer>().Endpoint(endpoint => endpoint.Name = RoutedQueue.NameFor(identity.InstanceId));
        bus.AddSingleton(new RoutedConsumerType(typeof(TConsumer)));
    }
}
