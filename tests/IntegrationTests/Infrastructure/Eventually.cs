using System.Diagnostics;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Polls for a condition until a deadline: the way these tests wait for something asynchronous to
/// happen, instead of sleeping and hoping. On timeout the failure names what was awaited and the
/// last value seen.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <param name="pollInterval">How often to probe (default 0.1 s): longer for a probe that costs the machine (a container engine's API).</param>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what, TimeSpan? pollInterval = null)
    {
        var deadline = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(pollInterval ?? PollInterval);
        T last;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe();
                if (condition(last)) return last;
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                last = default!;
                lastError = exception;
            }

            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}; last value: {Describe(last)}" +
                                           (lastError is null ? "" : $"; last error: {lastError.Message}"));
            await poll.WaitForNextTickAsync();
        }
    }

    public static Task HoldsAsync(Func<Task<bool>> probe, TimeSpan timeout, string what) =>
        ReturnsAsync(probe, ok => ok, timeout, what);

    private static string Describe(object? value) => value switch
    {
        null => "(none)",
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object>()) + "]",
        _ => value.ToString() ?? "",
    };
}
