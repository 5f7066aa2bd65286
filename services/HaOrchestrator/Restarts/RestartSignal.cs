using CloudBus.ServiceDefaults;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>Wakes this instance's <see cref="RestartDispatcher"/> when it has just recorded restarts.</summary>
public sealed class RestartSignal(TimeProvider clock)
{
    private readonly WorkSignal _signal = new(clock);

    public void Notify() => _signal.Notify();

    public Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken) => _signal.WaitAsync(wait, cancellationToken);
}
