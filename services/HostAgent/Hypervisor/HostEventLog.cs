namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// The VM events of the hosts this agent serves (a VM started, stopped, died), numbered, kept for
/// the last <see cref="Capacity"/>, and handed to the control plane by long polling: HostMonitor
/// asks for the events after the last it saw and the request waits until one happens. Events only
/// hasten what sync would find; sync stays the authority, so a lost event costs time, not safety.
/// </summary>
public sealed class HostEventLog(TimeProvider clock)
{
    public const int Capacity = 1000;
    private readonly Lock _gate = new();
    private readonly LinkedList<VmHostEvent> _events = new();
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _last;

    public void Append(string hostId, string vmId, VmHostEventKind kind, string detail)
    {
        TaskCompletionSource appended;
        lock (_gate)
        {
            _events.AddLast(new VmHostEvent(++_last, hostId, vmId, kind, detail, clock.GetUtcNow()));
            if (_events.Count > Capacity) _events.RemoveFirst();
            appended = _appended;
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        appended.TrySetResult();
    }

    /// <summary>The events of <paramref name="hostId"/> after <paramref name="after"/>, waiting up to <paramref name="wait"/> for one.</summary>
    /// <returns>The events (possibly none) and the last sequence number of the log, to ask after next time.</returns>
    public async Task<(IReadOnlyList<VmHostEvent> Events, long Last)> WaitAsync(string hostId, long after, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(wait, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        while (true)
        {
            Task appended;
            lock (_gate)
            {
                var found = _events.Where(e => e.Sequence > after && e.HostId == hostId).ToList();
                if (found.Count > 0 || linked.IsCancellationRequested) return (found, _last);
                appended = _appended.Task;
            }
            try
            {
                await appended.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Waited long enough: answer with nothing new.
            }
        }
    }
}

public enum VmHostEventKind
{
    Started,

    /// <summary>Gone from the host: shut down, destroyed or died (the detail says which).</summary>
    Stopped,
}

public sealed record VmHostEvent(long Sequence, string HostId, string VmId, VmHostEventKind Kind, string Detail, DateTimeOffset At);
