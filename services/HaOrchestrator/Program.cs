using CloudBus.AgentClient;
using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Api;
using CloudBus.HaOrchestrator.Consumers;
using CloudBus.HaOrchestrator.Fencing;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Investigation;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HaOrchestrator.Sagas;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using CloudBus.ServiceDefaults.Sagas;

// HaOrchestrator: investigates suspect hosts (one saga each), fences the dead ones, and restarts
// their HA-enabled VMs elsewhere, never before the old host is proven fenced.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceDefinition("ha-orchestrator", "ha_orchestrator", typeof(IncidentStore).Assembly), (bus, identity) =>
{
    bus.AddSagaStateMachine<InvestigationStateMachine, InvestigationState>(typeof(InvestigationStateDefinition))
        .PostgresRepository("ha_orchestrator.investigations");
    bus.AddConsumer<InvestigateHostConsumer>(typeof(InvestigateHostConsumerDefinition));
    bus.AddConsumer<FenceHostConsumer>(typeof(FenceHostConsumerDefinition));
    bus.AddConsumer<HostRegisteredConsumer>();
    bus.AddConsumer<HostBmcChangedConsumer>();
    bus.AddConsumer<HostStatusChangedConsumer>();
    bus.AddConsumer<VmStoppedUnexpectedlyConsumer>();
    bus.AddConsumer<HostRecoveredConsumer>();
    bus.AddConsumer<RestartAttemptCompletedConsumer>();
    bus.AddConsumer<RegisteredHostsConsumer>(typeof(PerInstanceQueueDefinition<RegisteredHostsConsumer>));
});
builder.Services.AddOptions<HaOptions>().BindConfiguration(HaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddIpmiFencing();
builder.Services.AddHostAgentClient();
builder.Services.AddSingleton<HostDirectory>();
builder.Services.AddSingleton<IncidentStore>();
builder.Services.AddSingleton<HaMetrics>();
builder.Services.AddSingleton<IncidentTimeline>();
builder.Services.AddSingleton<RestartStore>();
builder.Services.AddSingleton<RestartSignal>();
builder.Services.AddSingleton<NeighbourHeartbeats>();
builder.Services.AddSingleton<HostProbe>();
builder.Services.AddSingleton<BmcIdentities>();
builder.Services.AddSingleton<FencingChain>();
builder.Services.AddSingleton<InvestigationSteps>();
builder.Services.AddHostedService<RestartDispatcher>();
builder.Services.AddSingleton<CatchUpSignal<RegisteredHosts>>();
builder.Services.AddHostedService<HostCatchUp>();

var app = builder.Build();
app.MapIncidentEndpoints();
app.MapBmcBindingEndpoints();
await app.RunServiceAsync();
