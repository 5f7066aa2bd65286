using CloudBus.HostMonitor.Monitoring;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Routing;
using MassTransit;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>Pings a host at once if this instance owns it; otherwise forwards the command to the owner.</summary>
public sealed partial class CheckHostNowConsumer(RingRouter router, PingLoop pings, ILogger<CheckHostNowConsumer> logger) : IConsumer<CheckHostNow>
{
    public async Task Consume(ConsumeContext<CheckHostNow> context)
    {
        var command = context.Message;
        if (await router.ForwardIfNotOwnerAsync(context, command.HostId, command.RingEpoch)) return;
        if (!await pings.CheckNowAsync(command.HostId, context.CancellationToken))
            LogUnknownHost(command.HostId);
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "CheckHostNow for host {HostId}, which is not registered: nothing to ping")]
    private partial void LogUnknownHost(string hostId);
}
