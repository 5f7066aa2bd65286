using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudBus.HaOrchestrator.Fencing;

public static class FencingServiceCollectionExtensions
{
    /// <summary>
    /// IPMI power control (<see cref="IBmcPowerClient"/>) with <see cref="FencingOptions"/> bound
    /// from section <c>Fencing</c> and validated at start: a missing BMC password stops the service.
    /// </summary>
    public static IServiceCollection AddIpmiFencing(this IServiceCollection services)
    {
        services.AddOptions<FencingOptions>()
            .BindConfiguration(FencingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBmcPowerClient, IpmiPowerClient>();
        return services;
    }
}
