namespace CloudBus.HostAgent.Simulation;

/// <summary>One stretch of time during which a VM ran on a host; <see cref="EndedAt"/> is null while it runs.</summary>
public sealed record VmRunInterval(
    string VmId,
    string HostId,
    long Incarnation,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    VmRunEndReason? EndReason)
{
    /// <summary>
    /// Half-open intervals [start, end): a VM stopped on one host at t and started elsewhere at the
    /// same t did not run twice.
    /// </summary>
    public bool Overlaps(VmRunInterval other) =>
        StartedAt < (other.EndedAt ?? DateTimeOffset.MaxValue)
        && other.StartedAt < (EndedAt ?? DateTimeOffset.MaxValue);
}
