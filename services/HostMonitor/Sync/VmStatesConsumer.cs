using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// VmLifecycle's current VM states (the answer to a catch-up): each is applied like an event, so a
/// newer event already applied wins.
/// </summary>
public sealed partial class VmStatesConsumer(VmViewStore view, CatchUpSignal<VmStates> answered, ILogger<VmStatesConsumer> logger) : IConsumer<VmStates>
{
    public async Task Consume(ConsumeContext<VmStates> context)
    {
        foreach (var vm in context.Message.Vms) await view.ApplyAsync(vm, context.CancellationToken);
        answered.Set();
        LogCaughtUp(context.Message.Vms.Count);
    }

    [LoggerMessage(EventId = 240, Level = LogLevel.Information, Message = "VM view caught up on {Count} placed VMs")]
    private partial void LogCaughtUp(int count);
}
