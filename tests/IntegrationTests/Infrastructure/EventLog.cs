namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Messages a <see cref="TestBus"/> captured, in arrival order.</summary>
public sealed class EventLog<T>
{
    private readonly List<T> _messages = [];

    public void Add(T message)
    {
        lock (_messages) _messages.Add(message);
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_messages) return _messages.ToList();
    }

    /// <summary>Waits until a captured message matches, and returns everything captured up to and including it.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync(Func<T, bool> match, TimeSpan timeout, string what)
    {
        var log = await Eventually.ReturnsAsync(() => Task.FromResult(Snapshot()), messages => messages.Any(match), timeout, what);
        return log.Take(log.ToList().FindIndex(m => match(m)) + 1).ToList();
    }
}
