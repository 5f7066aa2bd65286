using CloudBus.HostAgent.Api;
using CloudBus.HostAgent.Api.BackDoor;
using CloudBus.HostAgent.Api.ControlPlane;
using CloudBus.HostAgent.Api.Tls;
using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Libvirt;
using CloudBus.HostAgent.Simulation;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Health;
using CloudBus.ServiceDefaults.Http;

// HostAgent: the agent on each hypervisor host. HostAgent__Driver=Libvirt drives the one host it
// runs on; Simulated (the default) serves a whole fleet of simulated hosts from this one process,
// with fault injection and a run audit behind its back door.
var builder = WebApplication.CreateBuilder(args);
// Telemetry, logging and health, without the bus and database the control plane needs.
builder.AddServiceBasics("host-agent");

var driver = HostAgentDriverSetting.Read(builder.Configuration);
var backDoorPort = 0;
if (driver == HostAgentDriver.Libvirt) builder.Services.AddLibvirtDriver();
else
{
    builder.Services.AddSimulatedDriver();
    backDoorPort = BackDoorPort.Listen(builder);
}
builder.Services.AddHostAgentApi();
var callersNeedCertificates = AgentTls.Configure(builder, driver);

var app = builder.Build();

app.UseApiHardening();
if (callersNeedCertificates)
{
    app.UseAuthentication();
    app.UseAuthorization();
}

var controlPlaneApi = app.MapControlPlaneApi();
// Only the control plane's services may start, stop and destroy VMs here (mutual TLS).
if (callersNeedCertificates) controlPlaneApi.RequireAuthorization(AgentTls.Policy);
// The back door powers hosts off and injects faults: it exists only for a simulated fleet, and
// only on its own loopback port.
if (backDoorPort > 0) app.MapSimulationBackDoor(backDoorPort);
app.MapHealthEndpoints();

await app.RunAsync();
