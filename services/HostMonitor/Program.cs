using CloudBus.AgentClient;
using CloudBus.HostMonitor;
using CloudBus.HostMonitor.Api;
using CloudBus.HostMonitor.Consumers;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Persistence;
using CloudBus.HostMonitor.Sync;
using CloudBus.HostMonitor.Tracing;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Routing;

// HostMonitor: pings hosts, suspects the silent ones, and syncs VM power states.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceDefinition("host-monitor", "host_monitor", typeof(PingLoop).Assembly, RoutesOnRing: true), (bus, identity) =>
{
    // Each instance hears of every new host on a queue of its own (gone with the instance: the
    // database has every host for the next start).
    bus.AddConsumer<HostRegisteredConsumer>().Endpoint(endpoint =>
    {
        endpoint.InstanceId = identity.InstanceId;
        endpoint.Temporary = true;
    });
    bus.AddConsumer<HostMaintenanceChangedConsumer>().Endpoint(endpoint =>
    {
        endpoint.InstanceId = identity.InstanceId;
        endpoint.Temporary = true;
    });
    bus.AddConsumer<HostVerdictConsumer>().Endpoint(endpoint =>
    {
        endpoint.InstanceId = identity.InstanceId;
        endpoint.Temporary = true;
    });
    bus.AddConsumer<VmStateChangedConsumer>();
    bus.AddConsumer<VmTraceConsumer>(typeof(VmTraceConsumerDefinition));
    bus.AddConsumer<OperatorRingConsumer>();
    bus.AddRoutedConsumer<CheckHostNowConsumer>(identity);
});

builder.Services.AddOptions<HostMonitorOptions>().BindConfiguration(HostMonitorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHttpClient<HostAgentClient>();
builder.Services.AddSingleton<MonitoredHosts>();
builder.Services.AddSingleton<HostStatusStore>();
builder.Services.AddSingleton<VmViewStore>();
builder.Services.AddSingleton<HostStatusAnnouncer>();
builder.Services.AddSingleton<TraceSkipStore>();
builder.Services.AddSingleton<TraceSkipService>();
builder.Services.AddSingleton<HostOwnership>();
builder.Services.AddSingleton<MonitorStats>();
builder.Services.AddSingleton<PingLoop>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<PingLoop>());
builder.Services.AddSingleton<VmSyncLoop>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<VmSyncLoop>());
builder.Services.AddHostedService<VmViewCatchUp>();

var app = builder.Build();
app.MapHostEndpoints();
app.MapTraceSkipEndpoints();
app.MapRoutingEndpoints();
await app.RunServiceAsync();
