namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// Runs one call per host, at most <c>maxParallel</c> at once. A failure for one host goes to
/// <c>onFailure</c> and never stops the calls to the others: one bad host (or a broker hiccup
/// while announcing it) must not leave the rest of the fleet unwatched.
/// </summary>
public static class HostFanOut
{
    public static Task ForEachAsync(
        IEnumerable<MonitoredHost> hosts,
        int maxParallel,
        Func<MonitoredHost, CancellationToken, Task> call,
        Action<MonitoredHost, Exception> onFailure,
        CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(hosts,
            new ParallelOptions { MaxDegreeOfParallelism = maxParallel, CancellationToken = cancellationToken },
            async (host, ct) =>
            {
                try
                {
                    await call(host, ct);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    onFailure(host, exception);
                }
            });
}
