using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// At start, asks VmLifecycle for the current state of every placed VM, so a HostMonitor deployed
/// (or its database restored) after VMs were placed still knows what each host should run. The
/// answer is applied by <see cref="VmStatesConsumer"/>.
/// </summary>
public sealed class VmViewCatchUp(CatchUpSignal<VmStates> answered, IBus bus, TimeProvider clock, ILogger<VmViewCatchUp> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        CatchUp.AskUntilAnsweredAsync(bus, new GetVmStates(), answered, clock, logger, stoppingToken);
}
