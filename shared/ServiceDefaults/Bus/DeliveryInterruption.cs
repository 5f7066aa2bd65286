using RabbitMQ.Client.Exceptions;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// A receive fault that parks nothing: the delivery's channel or connection went away under it
/// (a broker node killed, a network cut: RabbitMQ.Client reports the channel closed), or the
/// endpoint was stopping and cancelled it. The message was never acknowledged, so RabbitMQ delivers
/// it again once a consumer is back; nothing was moved to an error queue. Seen in the chaos
/// benchmark, where these raised the parked-message alert while every error queue stayed empty.
/// </summary>
public static class DeliveryInterruption
{
    /// <summary>Whether <paramref name="exception"/> (or one inside it) is such an interruption.</summary>
    public static bool Explains(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException aggregate) return aggregate.InnerExceptions.All(Explains);
            // AlreadyClosedException is one of these: the channel or connection is closed.
            if (current is OperationInterruptedException or OperationCanceledException) return true;
        }
        return false;
    }
}
