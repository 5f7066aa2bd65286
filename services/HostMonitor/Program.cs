using CloudBus.AgentClient;
using CloudBus.HostMonitor;
using CloudBus.HostMonitor.Api;
using CloudBus.HostMonitor.Consumers;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Persistence;
using CloudBus.HostMonitor.Sync;
using CloudBus.ServiceDefaults;

// HostMonitor: pings hosts, suspects the silent ones, and syncs VM power states.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceDefinition("host-monitor", "host_monitor", typeof(PingLoop).Assembly), bus =>
{
    bus.AddConsumer<HostRegisteredConsumer>();
    bus.AddConsumer<VmStateChangedConsumer>();
});

builder.Services.AddOptions<HostMonitorOptions>().BindConfiguration(HostMonitorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHttpClient<HostAgentClient>();
builder.Services.AddSingleton<MonitoredHosts>();
builder.Services.AddSingleton<HostStatusStore>();
builder.Services.AddSingleton<VmViewStore>();
builder.Services.AddSingleton<HostStatusAnnouncer>();
builder.Services.AddHostedService<PingLoop>();
builder.Services.AddHostedService<VmSyncLoop>();

var app = builder.Build();
app.MapHostEndpoints();
await app.RunServiceAsync();
