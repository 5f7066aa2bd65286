using CloudBus.HaOrchestrator.Api;
using CloudBus.HaOrchestrator.Consumers;
using CloudBus.HaOrchestrator.Persistence;
using CloudBus.ServiceDefaults;

// HaOrchestrator: turns host suspicions into incidents and unexpected stops of NeverStop VMs into
// restart requests (investigation, fencing and restart sagas build on them).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceDefinition("ha-orchestrator", "ha_orchestrator", typeof(IncidentStore).Assembly), (bus, _) =>
{
    bus.AddConsumer<HostSuspectedConsumer>();
    bus.AddConsumer<VmStoppedUnexpectedlyConsumer>();
});
builder.Services.AddSingleton<IncidentStore>();
builder.Services.AddSingleton<RestartRequestStore>();

var app = builder.Build();
app.MapIncidentEndpoints();
await app.RunServiceAsync();
