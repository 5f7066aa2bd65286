namespace CloudBus.ServiceDefaults;

/// <summary>
/// The loop every background service here runs: a round now, then one per interval, on the
/// injected clock. A failed round goes to <c>onFailure</c> and the loop carries on: a broker or
/// database that is restarting must not end the service's work for good.
/// </summary>
public static class PeriodicRounds
{
    public static async Task RunAsync(
        TimeSpan interval,
        TimeProvider clock,
        Func<CancellationToken, Task> round,
        Func<Exception, Task> onFailure,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await round(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                await onFailure(exception);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
