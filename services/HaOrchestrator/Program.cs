using CloudBus.HaOrchestrator.Api;
using CloudBus.HaOrchestrator.Consumers;
using CloudBus.HaOrchestrator.Persistence;
using CloudBus.ServiceDefaults;

// HaOrchestrator: turns host suspicions into incidents (investigation, fencing and restarts build on them).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceDefinition("ha-orchestrator", "ha_orchestrator", typeof(IncidentStore).Assembly), (bus, _) =>
{
    bus.AddConsumer<HostSuspectedConsumer>();
});
builder.Services.AddSingleton<IncidentStore>();

var app = builder.Build();
app.MapIncidentEndpoints();
await app.RunServiceAsync();
