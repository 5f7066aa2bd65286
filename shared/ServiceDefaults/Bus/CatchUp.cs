using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// A service that starts after others have been running asks one of them for what it missed,
/// and keeps asking until it gets an answer (the other service may not be up yet).
/// </summary>
public static partial class CatchUp
{
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(5);
    private static readonly RequestTimeout AnswerWithin = RequestTimeout.After(s: 10);

    public static async Task<TResponse> AskUntilAnsweredAsync<TRequest, TResponse>(
        IBus bus, TRequest request, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
        where TRequest : class where TResponse : class
    {
        var client = bus.CreateRequestClient<TRequest>(AnswerWithin);
        while (true)
        {
            try
            {
                return (await client.GetResponse<TResponse>(request, cancellationToken)).Message;
            }
            catch (RequestTimeoutException)
            {
                LogNoAnswer(logger, typeof(TRequest).Name, AskAgainAfter.TotalSeconds);
            }
            await Task.Delay(AskAgainAfter, clock, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "Catching up: no answer to {Request} yet, asking again in {Seconds} s")]
    private static partial void LogNoAnswer(ILogger logger, string request, double seconds);
}
