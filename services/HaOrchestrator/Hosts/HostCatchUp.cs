using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;

namespace CloudBus.HaOrchestrator.Hosts;

/// <summary>
/// At start, asks VmLifecycle for every host it has registered, with its last known status, so an
/// orchestrator deployed (or its database restored) after hosts were registered can still find a
/// suspect's BMC and neighbours. The answer is applied by <see cref="Consumers.RegisteredHostsConsumer"/>.
/// </summary>
public sealed class HostCatchUp(CatchUpSignal<RegisteredHosts> answered, IBus bus, TimeProvider clock, ILogger<HostCatchUp> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        CatchUp.AskUntilAnsweredAsync(bus, new GetHosts(), answered, clock, logger, stoppingToken);
}
