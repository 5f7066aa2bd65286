using System.Text.Json.Serialization;
using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>JSON with enums as names, and problem details for every error, including binding errors.</summary>
    public static IServiceCollection AddHostAgentApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddProblemDetails();
        // Every driver has an event log (the simulation writes none: sync finds its changes).
        services.AddSingleton<HostEventLog>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Outside Development a binding failure is an empty 400; throwing lets the handler above explain it.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
