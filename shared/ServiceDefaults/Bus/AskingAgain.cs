using Polly;
using Polly.Retry;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// How a starting service keeps asking another for something until an answer is in (what it
/// missed, see <see cref="CatchUp"/>; its ring): each try asks and waits a while for the answer.
/// An unanswered try is followed by the next at once (it has waited already); an ask that could not
/// be sent (broker away) by the next after the same wait. It never gives up: only stopping ends it.
/// </summary>
internal static class AskingAgain
{
    /// <param name="wait">How long one try waits for its answer.</param>
    /// <param name="onRetry">Called before each new try with the number of tries so far and the last one's failure (null: no answer).</param>
    /// <returns>A pipeline for a try that returns whether the answer is in.</returns>
    public static ResiliencePipeline<bool> UntilAnswered(TimeSpan wait, TimeProvider clock, Action<int, Exception?> onRetry) =>
        new ResiliencePipelineBuilder<bool> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    null => !args.Outcome.Result,
                    OperationCanceledException => false,
                    _ => true,
                }),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Exception is null ? TimeSpan.Zero : wait),
                OnRetry = args =>
                {
                    onRetry(args.AttemptNumber + 1, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
