using CloudBus.HaOrchestrator.Hosts;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>
/// VmLifecycle's list of registered hosts (the answer to a catch-up): fills the gaps in the host
/// directory. Events keep it current from then on; this never overwrites a status already heard.
/// </summary>
public sealed partial class RegisteredHostsConsumer(HostDirectory directory, CatchUpSignal<RegisteredHosts> answered, ILogger<RegisteredHostsConsumer> logger)
    : IConsumer<RegisteredHosts>
{
    public async Task Consume(ConsumeContext<RegisteredHosts> context)
    {
        foreach (var host in context.Message.Hosts)
        {
            await directory.AddAsync(host.Registration, context.CancellationToken);
            await directory.SetStatusIfUnknownAsync(host.Registration.HostId, host.Status, context.CancellationToken);
        }
        answered.Set();
        LogCaughtUp(context.Message.Hosts.Count);
    }

    [LoggerMessage(EventId = 540, Level = LogLevel.Information, Message = "Caught up on {Count} registered hosts")]
    private partial void LogCaughtUp(int count);
}
