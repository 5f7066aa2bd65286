namespace CloudBus.Bench.Chaos;

/// <summary>
/// What a service manager (systemd's Restart=always) does for the control plane's processes: an
/// instance that exited by itself, not killed by the chaos, is started again. Each such exit is
/// counted and reported as a crash: nothing the chaos does should crash a service.
/// </summary>
public sealed class Supervisor(ChaosStack stack)
{
    public int Crashes => stack.Services.Sum(instance => instance.Crashes);

    /// <param name="giveUp">The run's last deadline: a restart that keeps crashing is not tried after it.</param>
    public async Task RunAsync(CancellationToken stop, CancellationToken giveUp)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var instance in stack.Services.Where(instance => instance.HasCrashed))
            {
                instance.RecordCrash();
                _ = RestartAsync(instance, giveUp); // the next crash elsewhere must not wait for this start
            }
            await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RestartAsync(ChaosService instance, CancellationToken giveUp)
    {
        try
        {
            await instance.RestartAsync(stack.Http, giveUp);
        }
        catch (Exception failure) when (failure is TimeoutException or OperationCanceledException)
        {
            // It stays down; the final checks show what that cost.
        }
    }
}
