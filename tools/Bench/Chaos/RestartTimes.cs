namespace CloudBus.Bench.Chaos;

/// <summary>
/// For each host failure whose VMs stopped there (power off, isolation): seconds from the fault
/// until the last of those VMs ran again on another host, read from the agent's audit of every run
/// interval. A failure whose host ran no VM, or one of whose VMs never ran again (counted as lost
/// at the end), has no time.
/// </summary>
public static class RestartTimes
{
    /// <summary>How a run ends when its host dies under it: the power cut, or the host fencing itself.</summary>
    private static readonly string[] EndedByTheFault = ["PowerOff", "SelfFenced"];

    public static List<double> Measure(IEnumerable<HostFailure> failures, IReadOnlyList<RunInterval> intervals)
    {
        var runsOfVm = intervals.ToLookup(i => i.VmId);
        var times = new List<double>();
        foreach (var failure in failures.Where(f => f.Kind.StopsVms()))
        {
            var ended = intervals.Where(run => run.HostId == failure.HostId && run.StartedAt < failure.At && run.EndedAt >= failure.At
                                               && EndedByTheFault.Contains(run.EndReason)).ToList();
            var runningAgainAt = ended
                .Select(run => runsOfVm[run.VmId].Where(next => next.HostId != failure.HostId && next.StartedAt >= run.EndedAt).Min(next => (DateTimeOffset?)next.StartedAt))
                .ToList();
            if (ended.Count == 0 || runningAgainAt.Any(at => at is null)) continue;
            times.Add((runningAgainAt.Max()!.Value - failure.At).TotalSeconds);
        }
        return times;
    }
}
