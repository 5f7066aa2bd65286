using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Storage;
using CloudBus.HostAgent.Watchdog;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CloudBus.HostAgent.Libvirt;

public static class LibvirtServiceCollectionExtensions
{
    public const string Section = "HostAgent";

    /// <summary>The libvirt driver: the one host in <see cref="LibvirtOptions"/>, no simulation and no back door.</summary>
    public static IServiceCollection AddLibvirtDriver(this IServiceCollection services)
    {
        services.AddOptions<LibvirtOptions>().BindConfiguration(Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LibvirtConnection(sp.GetRequiredService<IOptions<LibvirtOptions>>().Value.LibvirtUri, DomainXml.Namespace));
        services.AddSingleton<LibvirtDriver>();
        services.AddSingleton<IHypervisorDriver>(sp => sp.GetRequiredService<LibvirtDriver>());
        services.AddHostedService<LibvirtWatch>();
        services.AddSingleton(sp => new HeartbeatStore(sp.GetRequiredService<IOptions<LibvirtOptions>>().Value.HeartbeatDirectory));
        services.AddSingleton<IWatchdog>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<LibvirtOptions>>().Value;
            return WatchdogOpener.Open(settings.WatchdogDevice, settings.SelfFenceAfter, sp.GetRequiredService<ILogger<LibvirtHeartbeat>>());
        });
        services.AddSingleton<IHeartbeatRound, LibvirtHeartbeat>();
        services.AddHostedService<HeartbeatWriterService>();
        return services;
    }
}
