namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// The operations this process is running right now. The journal says which instance runs an
/// operation; this says whether that instance still does. One journaled by this instance that is
/// not here was abandoned half-way: its begin or its end could not be committed (the database
/// went away, or the outcome of a commit was lost with it), the caller was answered with the
/// error, and nothing in this process will end it. It is settled like one whose instance died.
/// </summary>
public sealed class RunningOperations
{
    private readonly Dictionary<Guid, int> _running = [];

    /// <summary>Marks <paramref name="operationId"/> as running until the returned handle is disposed.</summary>
    public IDisposable Track(Guid operationId)
    {
        lock (_running) _running[operationId] = _running.GetValueOrDefault(operationId) + 1;
        return new Tracked(this, operationId);
    }

    public bool IsRunning(Guid operationId)
    {
        lock (_running) return _running.ContainsKey(operationId);
    }

    private void Untrack(Guid operationId)
    {
        lock (_running)
        {
            // A repeat in this process may run the same id at the same moment: counted, not flagged.
            if (_running[operationId] == 1) _running.Remove(operationId);
            else _running[operationId]--;
        }
    }

    private sealed class Tracked(RunningOperations owner, Guid operationId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Untrack(operationId);
        }
    }
}
