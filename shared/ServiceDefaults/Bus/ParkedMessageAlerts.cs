using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// A message that failed every retry is parked in its endpoint's <c>_error</c> queue: nothing is
/// lost, but nothing will happen to it until an operator looks. This makes sure one does: an error
/// log line (event id 150, with the stack trace) and the metric <c>cloudbus.messages.parked</c>.
/// </summary>
public sealed partial class ParkedMessageAlerts : IReceiveObserver
{
    private readonly ILogger<ParkedMessageAlerts> _logger;
    private readonly Counter<long> _parked;

    public ParkedMessageAlerts(ILogger<ParkedMessageAlerts> logger, IMeterFactory meters)
    {
        _logger = logger;
        _parked = meters.Create("cloudbus.bus").CreateCounter<long>("cloudbus.messages.parked", "{message}",
            "Messages moved to an error queue after every retry failed");
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        _parked.Add(1, new KeyValuePair<string, object?>("message_type", typeof(T).Name));
        LogParked(exception, typeof(T).Name, context.MessageId, context.ReceiveContext.InputAddress, consumerType);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        // Not parked: its error queue exists with another type, and QueueTypeConflictGuard says so.
        if (QueueTypeConflict.In(exception) is not null) return Task.CompletedTask;
        if (DeliveryInterruption.Explains(exception))
        {
            var reason = exception.GetBaseException().Message;
            LogInterrupted(reason, context.InputAddress);
            return Task.CompletedTask;
        }
        _parked.Add(1, new KeyValuePair<string, object?>("message_type", "unreadable"));
        LogUnreadable(exception, context.InputAddress);
        return Task.CompletedTask;
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    [LoggerMessage(EventId = 150, Level = LogLevel.Error,
        Message = "ALERT: {MessageType} {MessageId} failed in {Consumer} after every retry and is parked in the error queue of {Queue}")]
    private partial void LogParked(Exception exception, string messageType, Guid? messageId, Uri queue, string consumer);

    [LoggerMessage(EventId = 151, Level = LogLevel.Error, Message = "ALERT: a message on {Queue} could not be read and is parked in its error queue")]
    private partial void LogUnreadable(Exception exception, Uri queue);

    [LoggerMessage(EventId = 154, Level = LogLevel.Information,
        Message = "A delivery on {Queue} was cut off ({Reason}); RabbitMQ delivers it again, nothing is parked")]
    private partial void LogInterrupted(string reason, Uri queue);
}
