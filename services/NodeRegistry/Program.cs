using CloudBus.NodeRegistry.Api;
using CloudBus.NodeRegistry.Consumers;
using CloudBus.NodeRegistry.Membership;
using CloudBus.NodeRegistry.Persistence;
using CloudBus.ServiceDefaults;

// NodeRegistry: which service instances are alive, and the ring of each service. Several replicas
// may run; the one holding the leader lease evaluates membership.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceDefinition("node-registry", "node_registry", typeof(MemberStore).Assembly), (bus, _) =>
{
    bus.AddConsumer<ServiceInstanceHeartbeatConsumer>();
    bus.AddConsumer<ServiceInstanceStoppedConsumer>();
    bus.AddConsumer<GetRingConsumer>();
});
builder.Services.AddOptions<NodeRegistryOptions>().BindConfiguration(NodeRegistryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<MemberStore>();
builder.Services.AddSingleton<RingStore>();
builder.Services.AddSingleton<LeaderLease>();
builder.Services.AddSingleton<MembershipEvaluator>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<MembershipEvaluator>());

var app = builder.Build();
app.MapMemberEndpoints();
app.MapRingEndpoints();
await app.RunServiceAsync();
