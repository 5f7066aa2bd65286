using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The agent's API services (its JSON and error answers are every service's: <c>AddServiceBasics</c>).</summary>
    public static IServiceCollection AddHostAgentApi(this IServiceCollection services)
    {
        // Every driver has an event log (the simulation writes none: sync finds its changes).
        services.AddSingleton<HostEventLog>();
        return services;
    }
}
