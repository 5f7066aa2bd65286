using System.Text.RegularExpressions;
using RabbitMQ.Client.Exceptions;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// RabbitMQ refused to declare a queue because it exists with another type: switching
/// <c>RabbitMq:QueueType</c> (or going from one node to a cluster with <c>Auto</c>) over queues that
/// already exist. RabbitMQ never converts a queue; it answers PRECONDITION_FAILED (406) with
/// <c>inequivalent arg 'x-queue-type' for queue '...'</c> and closes the channel.
/// </summary>
/// <param name="Queue">The queue that exists.</param>
/// <param name="Existing">Its type: quorum, classic, ...</param>
/// <param name="Declared">The type this service declares it with.</param>
public sealed partial record QueueTypeConflict(string Queue, string Existing, string Declared)
{
    private const ushort PreconditionFailed = 406;

    /// <summary>The conflict that <paramref name="exception"/> (or one inside it) reports, or null if it reports none.</summary>
    public static QueueTypeConflict? In(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException aggregate)
                return aggregate.InnerExceptions.Select(In).FirstOrDefault(conflict => conflict is not null);
            if (current is OperationInterruptedException { ShutdownReason: { ReplyCode: PreconditionFailed } reason }
                && Parse(reason.ReplyText) is { } conflict)
                return conflict;
        }
        return null;
    }

    /// <summary>Reads RabbitMQ's reply text, for example <c>PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'q' in vhost 'v': received none but current is the value 'quorum' of type 'longstr'</c>.</summary>
    public static QueueTypeConflict? Parse(string replyText)
    {
        var match = ReplyPattern().Match(replyText);
        return match.Success
            ? new QueueTypeConflict(match.Groups["queue"].Value, TypeIn(match.Groups["current"].Value), TypeIn(match.Groups["received"].Value))
            : null;
    }

    /// <summary>What an operator reads: which queue, and the two ways out.</summary>
    public string Explain(RabbitMqQueueType configured)
    {
        // An endpoint's error and skipped queues have the endpoint queue's type: they go with it.
        var companions = Queue.EndsWith("_error", StringComparison.Ordinal) || Queue.EndsWith("_skipped", StringComparison.Ordinal)
            ? ""
            : $" (and its '{Queue}_error' and '{Queue}_skipped' queues, if any)";
        return $"RabbitMQ refused queue '{Queue}': it exists as a {Existing} queue, and this service declares it as a {Declared} queue " +
               $"(RabbitMq:QueueType is {configured}). RabbitMQ does not convert a queue. Either delete '{Queue}'{companions} once the " +
               $"messages in it are handled, so that it is declared again as {Declared}, or set RabbitMq__QueueType={SettingFor(Existing)} " +
               $"to keep the {Existing} queues.";
    }

    /// <summary>A queue declared without <c>x-queue-type</c> ("none") is a classic queue.</summary>
    private static string TypeIn(string argument) =>
        ValuePattern().Match(argument) is { Success: true } value ? value.Groups["type"].Value : "classic";

    private static string SettingFor(string type) => type == "quorum" ? nameof(RabbitMqQueueType.Quorum) : nameof(RabbitMqQueueType.Classic);

    [GeneratedRegex(@"inequivalent arg 'x-queue-type' for queue '(?<queue>[^']*)' in vhost '[^']*': received (?<received>.+) but current is (?<current>.+)$")]
    private static partial Regex ReplyPattern();

    [GeneratedRegex(@"^the value '(?<type>[^']*)'")]
    private static partial Regex ValuePattern();
}
