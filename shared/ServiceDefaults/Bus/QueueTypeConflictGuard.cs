using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// Turns RabbitMQ's refusal of a queue that exists with another type (<see cref="QueueTypeConflict"/>)
/// into an error an operator can act on (event id 152: the queue and the two ways out).
/// <list type="bullet">
/// <item>An endpoint's own queue is declared at start. MassTransit would retry the declaration until
/// its start timeout and then fail with the raw broker error; the service stops at once instead,
/// because that retry cannot succeed. (A running service that meets it on a reconnect keeps running:
/// its other queues still work.)</item>
/// <item>An <c>_error</c> or <c>_skipped</c> queue is declared only when the first message is moved
/// there, so a leftover one of the old type is found then, not at start. The message is not moved and
/// not lost: RabbitMQ closes the channel, the message goes back to its queue and is tried again,
/// failing the same way until the leftover queue is deleted.</item>
/// </list>
/// </summary>
public sealed partial class QueueTypeConflictGuard(
    IOptions<RabbitMqOptions> options, IHostApplicationLifetime lifetime, ILogger<QueueTypeConflictGuard> logger)
    : IReceiveEndpointObserver, IReceiveObserver
{
    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        if (Report(faulted.Exception) && !lifetime.ApplicationStarted.IsCancellationRequested) lifetime.StopApplication();
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Report(exception);
        return Task.CompletedTask;
    }

    private bool Report(Exception? exception)
    {
        if (QueueTypeConflict.In(exception) is not { } conflict) return false;
        var explanation = conflict.Explain(options.Value.QueueType);
        LogConflict(explanation);
        return true;
    }

    public Task Ready(ReceiveEndpointReady ready) => Task.CompletedTask;

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class => Task.CompletedTask;

    [LoggerMessage(EventId = 152, Level = LogLevel.Critical, Message = "{Explanation}")]
    private partial void LogConflict(string explanation);
}
