namespace CloudBus.ServiceDefaults;

/// <summary>
/// Wakes a background loop early: the loop waits for a signal or its interval, whichever comes
/// first, so work this instance just created is picked up at once and work other instances left is
/// picked up within an interval.
/// </summary>
public sealed class WorkSignal(TimeProvider clock)
{
    /// <summary>Completed by <see cref="Notify"/>; replaced after each wake-up.</summary>
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Completes when notified, or after <paramref name="wait"/>.</summary>
    public async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        if (!signal.Task.IsCompleted)
            await Task.WhenAny(signal.Task, Task.Delay(wait, clock, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        // Whatever was signalled is about to be handled: arm a fresh signal for what comes next.
        if (signal.Task.IsCompleted)
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
    }
}
