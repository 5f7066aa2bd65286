using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CloudBus.HostAgent.Simulation;

public static class SimulationServiceCollectionExtensions
{
    /// <summary>The simulated driver: a fleet of hosts from <see cref="SimulatedOptions"/>, its heartbeats and its back door.</summary>
    public static IServiceCollection AddSimulatedDriver(this IServiceCollection services)
    {
        services.AddOptions<SimulatedOptions>()
            .BindConfiguration(SimulatedOptions.Section)
            .Validate(o => o.HostIds().All(HostIdRules.IsValid),
                "Simulated:Hosts must be a comma-separated list of host ids made of ASCII letters, digits, '-', '_' or '.'.")
            .Validate(o => o.HostIds().Distinct(StringComparer.Ordinal).Count() == o.HostIds().Count,
                "Simulated:Hosts lists a host id twice.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Cluster), "Simulated:Cluster must not be empty.")
            .Validate(o => o.CpuCores >= 1, "Simulated:CpuCores must be at least 1.")
            .Validate(o => o.MemoryMib >= 1, "Simulated:MemoryMib must be at least 1.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.HeartbeatDirectory), "Simulated:HeartbeatDirectory must not be empty.")
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero,
                "Simulated:HeartbeatInterval must be positive (for example 00:00:02).")
            .Validate(o => o.SelfFenceAfter > TimeSpan.Zero,
                "Simulated:SelfFenceAfter must be positive (for example 00:00:08).")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new HeartbeatStore(sp.GetRequiredService<IOptions<SimulatedOptions>>().Value.HeartbeatDirectory));
        services.AddSingleton(CreateFleet);
        services.AddSingleton<SimulatedDriver>();
        services.AddSingleton<IHypervisorDriver>(sp => sp.GetRequiredService<SimulatedDriver>());
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<IHeartbeatRound, HeartbeatRound>();
        services.AddHostedService<HeartbeatWriterService>();
        return services;
    }

    private static SimulatedFleet CreateFleet(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SimulatedOptions>>().Value;
        var fleet = new SimulatedFleet(
            services.GetRequiredService<TimeProvider>(),
            new Random(),
            services.GetRequiredService<ILogger<SimulatedFleet>>());
        foreach (var hostId in options.HostIds())
        {
            fleet.AddHost(new HostShape(hostId, options.Cluster, options.CpuCores, options.MemoryMib));
        }

        return fleet;
    }
}
