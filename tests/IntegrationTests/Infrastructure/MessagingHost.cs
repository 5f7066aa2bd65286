using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A host with the services' own bus wiring (<see cref="BusRegistration"/>.AddCloudBusMessaging)
/// on a virtual host of its own, for tests of that wiring on the real broker.
/// </summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MessagingHost(TestVirtualHost virtualHost, IHost host) => (VirtualHost, _host) = (virtualHost, host);

    public TestVirtualHost VirtualHost { get; }
    public IServiceProvider Services => _host.Services;

    /// <param name="serviceName">The service name its endpoints are named after.</param>
    /// <param name="consumers">The consumers to register on the bus.</param>
    /// <param name="customize">More services or logging, before the bus is added.</param>
    /// <param name="settings">Settings over the virtual host's (keys as in configuration, for example <c>RabbitMq:QueueType</c>).</param>
    public static async Task<MessagingHost> StartAsync(
        string serviceName, Action<IBusRegistrationConfigurator> consumers, Action<HostApplicationBuilder>? customize = null,
        params (string Key, string Value)[] settings)
    {
        var virtualHost = await TestVirtualHost.CreateAsync();
        var configuration = virtualHost.Environment.ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value);
        foreach (var (key, value) in settings) configuration[key] = value;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(configuration);
        customize?.Invoke(builder);
        builder.Services.AddCloudBusMessaging(ServiceIdentity.Create(serviceName, TimeProvider.System), consumers);
        var host = builder.Build();
        await host.StartAsync();
        return new MessagingHost(virtualHost, host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await VirtualHost.DisposeAsync();
    }
}
