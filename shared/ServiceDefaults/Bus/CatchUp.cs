using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// A service that starts after others have been running asks one of them for what it missed,
/// and keeps asking until an answer has been applied (the other service may not be up yet). The
/// answer is an event that every instance of the asking service hears on a queue of its own and
/// applies (see <see cref="CatchUpSignal{TAnswer}"/>): nothing is ever addressed to one instance, so
/// nothing is sent to an instance that died after asking.
/// </summary>
public static partial class CatchUp
{
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(5);

    public static async Task AskUntilAnsweredAsync<TRequest, TAnswer>(
        IBus bus, TRequest request, CatchUpSignal<TAnswer> answered, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
        where TRequest : class where TAnswer : class
    {
        var asking = AskingAgain.UntilAnswered(AskAgainAfter, clock, (_, failure) =>
        {
            if (failure is null) LogNoAnswer(logger, typeof(TRequest).Name, AskAgainAfter.TotalSeconds);
            else LogAskFailed(logger, failure, typeof(TRequest).Name);
        });
        await asking.ExecuteAsync(async token =>
        {
            if (answered.IsSet) return true;
            await ConfirmWait.WithinAsync(ConfirmWait.DefaultLimit, clock, typeof(TRequest).Name, bounded => bus.Publish(request, bounded), token);
            return await answered.WaitAsync(AskAgainAfter, clock, token);
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "Catching up: no answer to {Request} within {Seconds} s; asking again")]
    private static partial void LogNoAnswer(ILogger logger, string request, double seconds);

    [LoggerMessage(EventId = 141, Level = LogLevel.Warning, Message = "Catching up: could not ask {Request}; asking again")]
    private static partial void LogAskFailed(ILogger logger, Exception exception, string request);
}
