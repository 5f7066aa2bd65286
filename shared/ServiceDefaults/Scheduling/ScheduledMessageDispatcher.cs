using CloudBus.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Scheduling;

/// <summary>
/// Publishes due <see cref="ScheduledMessages"/>: at once when this instance enqueued something
/// for now, when the next scheduled one falls due, and at least every few seconds (to pick up
/// what an instance that died left behind).
/// </summary>
internal sealed partial class ScheduledMessageDispatcher(ScheduledMessages messages, IBus bus, TimeProvider clock, ILogger<ScheduledMessageDispatcher> logger)
    : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan IdleInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = IdleInterval;
            try
            {
                var (published, nextDue) = await messages.DispatchDueAsync(due => DeliverAsync(due, stoppingToken), Batch, stoppingToken);
                if (published == Batch) continue; // more may be due right now
                if (nextDue is { } due) wait = TimeSpan.FromTicks(Math.Clamp((due - clock.GetUtcNow()).Ticks, 0, IdleInterval.Ticks));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Broker or database away: the rows stay and are published once both are back.
                LogDispatchFailed(exception);
            }
            await messages.WaitForWorkAsync(wait, stoppingToken);
        }
    }

    private async Task DeliverAsync(DueMessage due, CancellationToken cancellationToken)
    {
        if (due.Destination is null)
        {
            await ConfirmWait.WithinAsync(ConfirmWait.DefaultLimit, clock, due.Type.Name,
                token => bus.Publish(due.Message, due.Type, Pipe.Execute<SendContext>(context => context.MessageId = due.MessageId), token), cancellationToken);
            return;
        }

        // A command goes to the exchange its receiver binds to its queue. Before the receiver has
        // ever started (or after its queue was deleted to change its type) nothing is bound and
        // RabbitMQ would drop the command: mandatory makes it return the command instead, so the
        // row stays here and is sent again until the queue exists.
        var mandatoryWithId = Pipe.Execute<SendContext>(context =>
        {
            context.MessageId = due.MessageId;
            if (context is RabbitMqSendContext rabbit) rabbit.Mandatory = true;
        });
        try
        {
            var endpoint = await bus.GetSendEndpoint(due.Destination);
            await ConfirmWait.WithinAsync(ConfirmWait.DefaultLimit, clock, due.Type.Name,
                token => endpoint.Send(due.Message, due.Type, mandatoryWithId, token), cancellationToken);
        }
        catch (MessageReturnedException returned)
        {
            throw new InvalidOperationException(
                $"No queue is bound to {due.Destination} yet (has its service ever started on this virtual host?): the {due.Type.Name} stays in the outbox and is sent again.",
                returned);
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Scheduled messages not dispatched yet, trying again")]
    private partial void LogDispatchFailed(Exception exception);
}
