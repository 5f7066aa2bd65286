namespace CloudBus.IntegrationTests.Sagas;

/// <summary>What the test saga tells the test (how many increments were tried again after losing a race), and a way to force a race.</summary>
public sealed class CounterProbe
{
    /// <summary>A deadline, not a wait: a rival that never comes fails the increment loudly instead of hanging it.</summary>
    private static readonly TimeSpan RivalDeadline = TimeSpan.FromSeconds(30);

    private int _retriedIncrements;
    private int _entered;
    private TaskCompletionSource? _rivalLoaded;

    /// <summary>Whether the saga is inserted before it consumes its first message (MassTransit's InsertOnInitial).</summary>
    public bool InsertOnInitial { get; init; }

    public int RetriedIncrements => Volatile.Read(ref _retriedIncrements);

    public void IncrementTried(int retryAttempt)
    {
        if (retryAttempt > 0) Interlocked.Increment(ref _retriedIncrements);
    }

    /// <summary>
    /// Makes the next increments overlap for certain: the first holds the state it loaded until a
    /// second has loaded the same state, so one of the two must lose the race when it saves.
    /// </summary>
    public void ForceALostRace()
    {
        Volatile.Write(ref _entered, 0);
        Volatile.Write(ref _rivalLoaded, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>Called by an increment between loading the saga and changing it.</summary>
    public async Task LoadedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _rivalLoaded) is not { } rivalLoaded) return;
        if (Interlocked.Increment(ref _entered) == 1)
            await rivalLoaded.Task.WaitAsync(RivalDeadline, cancellationToken);
        else
            rivalLoaded.TrySetResult();
    }
}
