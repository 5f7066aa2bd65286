using System.Diagnostics;

namespace CloudBus.Cli.Operate;

/// <summary>
/// What the <c>--watch</c> commands share: read again every <see cref="Interval"/> until the caller
/// is done, the time runs out, or Ctrl-C (or SIGTERM). A service that does not answer for a while
/// (a database failover, an instance restarting) is said on stderr and asked again, not the end of the watch:
/// the moments an operator watches are the ones where parts of the system are failing.
/// </summary>
internal static class Watching
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <param name="read">One reading of what is watched.</param>
    /// <param name="show">Shows a reading; returns true once the watch is over.</param>
    /// <param name="timeout">When to give up (exit 7), or null to watch until Ctrl-C.</param>
    /// <param name="what">What is awaited, for the message when the time runs out.</param>
    public static async Task RunAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> show, TimeSpan? timeout, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string? failing = null;
        using var poll = new PeriodicTimer(Interval);
        try
        {
            do
            {
                T reading;
                try
                {
                    reading = await read(ct);
                }
                catch (CliException exception) when (exception.ExitCode is ExitCodes.NoStack or ExitCodes.Failed)
                {
                    if (exception.Message != failing) Console.Error.WriteLine($"  (not answering, asking again: {exception.Message})");
                    failing = exception.Message;
                    continue;
                }

                failing = null;
                if (show(reading)) return;
            }
            while ((timeout is null || clock.Elapsed < timeout) && await poll.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM ends a watch the operator started; that is not a failure.
            return;
        }

        throw new CliException(ExitCodes.NotReached, $"{what} did not happen within {clock.Elapsed.TotalSeconds:0} s");
    }
}
