using CloudBus.Messages.Hosts;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// Where the system stands once every fault is healed: by the agents' truth, how many of the VMs run
/// nowhere or on more than one host; how many incidents HA has not settled; how many hosts the
/// control plane does not see Connected. Settled when all are zero.
/// </summary>
public sealed record SettleState(IReadOnlyList<Guid> NotRunning, IReadOnlyList<Guid> RunningTwice, int UnsettledIncidents, int HostsNotConnected)
{
    public bool IsSettled => NotRunning.Count == 0 && RunningTwice.Count == 0 && UnsettledIncidents == 0 && HostsNotConnected == 0;

    public override string ToString() =>
        $"{NotRunning.Count} VMs running nowhere, {RunningTwice.Count} on two hosts, {UnsettledIncidents} incidents unsettled, {HostsNotConnected} hosts not Connected";

    public static async Task<SettleState> ReadAsync(ChaosStack stack)
    {
        var running = RunningOn(await stack.BackDoorGetAsync<List<RunInterval>>("audit/intervals"));
        var incidents = await stack.GetAsync<List<IncidentView>>("HaOrchestrator", "incidents");
        var hosts = await stack.GetAsync<List<HostView>>("VmLifecycle", "hosts");
        return new SettleState(
            [.. stack.Vms.Where(vm => !running[vm].Any())],
            [.. stack.Vms.Where(vm => running[vm].Skip(1).Any())],
            incidents.Count(i => i.Unsettled),
            hosts.Count(h => h.Status != nameof(HostStatus.Connected)));
    }

    /// <summary>The hosts each VM runs on now: its run intervals not ended yet.</summary>
    public static ILookup<Guid, string> RunningOn(IEnumerable<RunInterval> intervals) =>
        intervals.Where(i => i.EndedAt is null).ToLookup(i => Guid.Parse(i.VmId), i => i.HostId);
}
