using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// At start, fills the VM view from VmLifecycle's current states, so a HostMonitor deployed (or
/// its database restored) after VMs were placed still knows what each host should run. Each state
/// is applied like an event: a newer event already applied wins.
/// </summary>
public sealed partial class VmViewCatchUp(VmViewStore view, IBus bus, TimeProvider clock, ILogger<VmViewCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var answer = await CatchUp.AskUntilAnsweredAsync<GetVmStates, VmStates>(bus, new GetVmStates(), clock, logger, stoppingToken);
        foreach (var vm in answer.Vms) await view.ApplyAsync(vm, stoppingToken);
        LogCaughtUp(answer.Vms.Count);
    }

    [LoggerMessage(EventId = 240, Level = LogLevel.Information, Message = "VM view caught up on {Count} placed VMs")]
    private partial void LogCaughtUp(int count);
}
