using CloudBus.NodeRegistry.Api;
using CloudBus.NodeRegistry.Consumers;
using CloudBus.NodeRegistry.Persistence;
using CloudBus.ServiceDefaults;

// NodeRegistry: which service instances are alive.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceDefinition("node-registry", "node_registry", typeof(MemberStore).Assembly), bus =>
{
    bus.AddConsumer<ServiceInstanceHeartbeatConsumer>();
    bus.AddConsumer<ServiceInstanceStoppedConsumer>();
});
builder.Services.AddSingleton<MemberStore>();

var app = builder.Build();
app.MapMemberEndpoints();
await app.RunServiceAsync();
