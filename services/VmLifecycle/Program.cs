using CloudBus.AgentClient;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Telemetry;
using CloudBus.VmLifecycle;
using CloudBus.VmLifecycle.Api;
using CloudBus.VmLifecycle.Consumers;
using CloudBus.VmLifecycle.Operations;
using CloudBus.VmLifecycle.Placement;
using CloudBus.VmLifecycle.Persistence;

// VmLifecycle: VM records, the VM state machine, host capacity and placement, VM operations.
var builder = WebApplication.CreateBuilder(args);
// It keeps its ring to know which of its instances are alive: what a dead one left in flight is settled by the others.
builder.AddServiceDefaults(new ServiceDefinition("vm-lifecycle", "vm_lifecycle", typeof(VmStore).Assembly, HasRing: true), (bus, _) =>
{
    bus.AddConsumer<HostStatusChangedConsumer>();
    bus.AddConsumer<VmPowerStateReportedConsumer>();
    bus.AddConsumer<VmDevicesReportedConsumer>();
    bus.AddConsumer<GetHostsConsumer>();
    bus.AddConsumer<GetVmStatesConsumer>();
    bus.AddConsumer<VmOperationCommandsConsumer>(typeof(VmOperationCommandsConsumerDefinition));
    bus.AddConsumer<VmRecordCommandsConsumer>(typeof(VmRecordCommandsConsumerDefinition));
    bus.AddConsumer<ReleaseFencedHostConsumer>(typeof(ReleaseFencedHostConsumerDefinition));
});

builder.Services.AddOptions<VmLifecycleOptions>().BindConfiguration(VmLifecycleOptions.Section).ValidateDataAnnotations()
    .Validate(o => AgentNetworks.IsValid(o.AllowedAgentNetworks), AgentNetworks.SettingMessage).ValidateOnStart();
builder.Services.AddSingleton<AgentNetworks>();
builder.Services.AddHostAgentClient();
builder.Services.AddSingleton<HostStore>();
builder.Services.AddSingleton<VmStore>();
builder.Services.AddSingleton<IGaugeSource, VmStateGauge>();
builder.Services.AddSingleton<VmDeviceStore>();
builder.Services.AddSingleton<OperationJournal>();
builder.Services.AddSingleton<HostReservations>();
builder.Services.AddVmOperations();

var app = builder.Build();
app.MapHostEndpoints();
app.MapVmEndpoints();
await app.RunServiceAsync();
