namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// Every interval any VM ran on any host of the fleet. Not thread-safe on its own: the fleet lock
/// guards it, so an interval opens and closes in the same critical section as the VM state change.
/// Kept for the life of the process: this is a test and demo tool, not a long-running store.
/// </summary>
public sealed class VmRunAudit
{
    private readonly List<VmRunInterval> _intervals = [];

    /// <summary>Opens an interval and returns its handle for <see cref="Close"/>.</summary>
    public int Open(string vmId, string hostId, long incarnation, DateTimeOffset at)
    {
        _intervals.Add(new VmRunInterval(vmId, hostId, incarnation, at, EndedAt: null, EndReason: null));
        return _intervals.Count - 1;
    }

    public void Close(int handle, DateTimeOffset at, VmRunEndReason reason) =>
        _intervals[handle] = _intervals[handle] with { EndedAt = at, EndReason = reason };

    public IReadOnlyList<VmRunInterval> Intervals(string? vmId = null) =>
        [.. _intervals.Where(i => vmId is null || i.VmId == vmId)];

    /// <summary>Every pair of intervals of one VM on different hosts that overlap in time.</summary>
    public IReadOnlyList<DoubleRun> DoubleRuns()
    {
        var found = new List<DoubleRun>();
        foreach (var runs in _intervals.GroupBy(i => i.VmId))
        {
            var ordered = runs.OrderBy(i => i.StartedAt).ToList();
            for (var a = 0; a < ordered.Count; a++)
            {
                for (var b = a + 1; b < ordered.Count; b++)
                {
                    if (ordered[a].HostId != ordered[b].HostId && ordered[a].Overlaps(ordered[b]))
                    {
                        found.Add(new DoubleRun(runs.Key, ordered[a], ordered[b]));
                    }
                }
            }
        }

        return found;
    }
}
