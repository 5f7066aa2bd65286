using CloudBus.Messages.Registry;
using CloudBus.NodeRegistry.Persistence;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;

namespace CloudBus.NodeRegistry.Consumers;

/// <summary>
/// Records that an instance is alive. A heartbeat the database cannot take now is dropped, not
/// retried: it is news only until the sender's next one, one heartbeat interval later. Retried as
/// other messages are (with backoff, for a minute and a half), heartbeats would hold every slot of
/// this consumer while the database is away, and the fresh ones queued behind them would be
/// recorded seconds after it is back: long enough for their senders to be counted missing.
/// </summary>
public sealed partial class ServiceInstanceHeartbeatConsumer(MemberStore members, ILogger<ServiceInstanceHeartbeatConsumer> logger)
    : IConsumer<ServiceInstanceHeartbeat>
{
    public async Task Consume(ConsumeContext<ServiceInstanceHeartbeat> context)
    {
        try
        {
            await members.RecordHeartbeatAsync(context.Message, context.CancellationToken);
        }
        catch (Exception exception) when (TransientFailures.IsTransient(exception))
        {
            LogHeartbeatDropped(exception, context.Message.InstanceId);
        }
    }

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "Heartbeat of {InstanceId} dropped: the database cannot take it now, and the next one supersedes it")]
    private partial void LogHeartbeatDropped(Exception exception, string instanceId);
}
