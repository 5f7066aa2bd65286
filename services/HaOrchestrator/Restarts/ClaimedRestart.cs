namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>A restart this instance claimed for one attempt.</summary>
/// <param name="Attempts">Every attempt asked for so far, this one included: each has its own operation id.</param>
/// <param name="Waits">Of those, the ones that only waited (see <see cref="RestartPolicy"/>).</param>
public sealed record ClaimedRestart(
    Guid VmId, long Incarnation, string HostId, int Attempts, int Waits, int RestartPriority, Guid? IncidentId, string? TraceParent)
{
    /// <summary>The attempts that count toward <see cref="HaOptions.RestartMaxAttempts"/>.</summary>
    public int CountedAttempts => Attempts - Waits;
}
