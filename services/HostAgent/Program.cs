using CloudBus.HostAgent.Api;
using CloudBus.HostAgent.Api.BackDoor;
using CloudBus.HostAgent.Api.ControlPlane;
using CloudBus.HostAgent.Simulation;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Health;

// HostAgent: the agent on each hypervisor host. For now the Simulated driver serves a whole
// fleet of simulated hosts from this one process, with fault injection and a run audit.
var builder = WebApplication.CreateBuilder(args);
// Telemetry, logging and health, without the bus and database the control plane needs.
builder.AddServiceBasics("host-agent");

builder.Services.AddSimulatedDriver();
builder.Services.AddHostAgentApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapControlPlaneApi();
app.MapSimulationBackDoor();
app.MapHealthEndpoints();

await app.RunAsync();
