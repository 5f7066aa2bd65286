namespace CloudBus.ServiceDefaults.Bus;

/// <summary>Set by the consumer of a catch-up answer once it has applied one: the asker stops asking.</summary>
public sealed class CatchUpSignal<TAnswer> where TAnswer : class
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsSet => _answered.Task.IsCompleted;

    public void Set() => _answered.TrySetResult();

    /// <returns>True once set; false when <paramref name="wait"/> passed first.</returns>
    public async Task<bool> WaitAsync(TimeSpan wait, TimeProvider clock, CancellationToken cancellationToken)
    {
        await Task.WhenAny(_answered.Task, Task.Delay(wait, clock, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        return IsSet;
    }
}
