using CloudBus.AgentClient;
using CloudBus.HostMonitor;
using CloudBus.HostMonitor.Api;
using CloudBus.HostMonitor.Consumers;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Persistence;
using CloudBus.HostMonitor.Sync;
using CloudBus.HostMonitor.Tracing;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using CloudBus.ServiceDefaults.Routing;
using CloudBus.ServiceDefaults.Telemetry;

// HostMonitor: pings hosts, suspects the silent ones, and syncs VM power states.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceDefinition("host-monitor", "host_monitor", typeof(PingLoop).Assembly, HasRing: true), (bus, identity) =>
{
    // One instance stores a new host, a verdict or a maintenance change (durable queues the
    // instances share); every instance's memory follows the database at its next ping round.
    bus.AddConsumer<HostRegisteredConsumer>();
    bus.AddConsumer<HostMaintenanceChangedConsumer>();
    bus.AddConsumer<HostVerdictConsumer>();
    bus.AddConsumer<VmStateChangedConsumer>();
    bus.AddConsumer<VmStatesConsumer>(typeof(PerInstanceQueueDefinition<VmStatesConsumer>));
    bus.AddConsumer<VmTraceConsumer>();
    bus.AddConsumer<OperatorRingConsumer>();
    bus.AddRoutedConsumer<CheckHostNowConsumer>(identity);
});

builder.Services.AddOptions<HostMonitorOptions>().BindConfiguration(HostMonitorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostAgentClient();
builder.Services.AddSingleton<MonitoredHosts>();
builder.Services.AddSingleton<HostStatusStore>();
builder.Services.AddSingleton<VmViewStore>();
builder.Services.AddSingleton<HostStatusAnnouncer>();
builder.Services.AddSingleton<TraceSkipStore>();
builder.Services.AddSingleton<TraceSkipService>();
builder.Services.AddSingleton<HostOwnership>();
builder.Services.AddSingleton<MonitorStats>();
builder.Services.AddSingleton<IGaugeSource, HostStatusGauge>();
builder.Services.AddSingleton<VmDeviceWatch>();
builder.Services.AddSingleton<PingLoop>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<PingLoop>());
builder.Services.AddSingleton<VmSyncLoop>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<VmSyncLoop>());
builder.Services.AddHostedService<HostEventListener>();
builder.Services.AddSingleton<CatchUpSignal<VmStates>>();
builder.Services.AddHostedService<VmViewCatchUp>();

var app = builder.Build();
app.MapHostEndpoints();
app.MapTraceSkipEndpoints();
app.MapRoutingEndpoints();
await app.RunServiceAsync();
