namespace CloudBus.IntegrationTests.Sagas;

/// <summary>What the test saga tells the test: how many increments were tried again after losing a race.</summary>
public sealed class CounterProbe
{
    private int _retriedIncrements;

    /// <summary>
    /// How long an increment holds the state it loaded before saving it: wide enough that increments
    /// consumed side by side load the same version, so the test really exercises lost races.
    /// </summary>
    public TimeSpan RaceWindow { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Whether the saga is inserted before it consumes its first message (MassTransit's InsertOnInitial).</summary>
    public bool InsertOnInitial { get; init; }

    public int RetriedIncrements => Volatile.Read(ref _retriedIncrements);

    public void IncrementTried(int retryAttempt)
    {
        if (retryAttempt > 0) Interlocked.Increment(ref _retriedIncrements);
    }
}
