using System.Collections.Concurrent;
using CloudBus.AgentClient;
using CloudBus.Messages.Vms;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// Which devices each VM's run was last reported with, so sync announces a VM's devices only when
/// they change (a hot-plug): the first sync of a run after this instance started or took the host
/// over announces them once more, which VmLifecycle finds unchanged. Only VMs expected on the host
/// in the run it reports count: a stranger's devices are nobody's. A VM first seen without any
/// device is not announced (nothing to record; a fleet of such VMs would otherwise announce each).
/// </summary>
public sealed class VmDeviceWatch
{
    private readonly ConcurrentDictionary<Guid, (string HostId, long Incarnation, VmDevices Devices)> _reported = new();

    public IReadOnlyList<VmDevicesReported> Changes(string hostId, IReadOnlyList<AgentVm> reported, IReadOnlyList<ExpectedVm> expected, DateTimeOffset now)
    {
        var expectedRuns = expected.ToDictionary(e => e.VmId, e => e.Incarnation);
        ForgetGone(hostId, reported);
        var changes = new List<VmDevicesReported>();
        foreach (var vm in reported)
        {
            if (vm.Devices is not { } devices || !Guid.TryParse(vm.VmId, out var vmId)
                || !expectedRuns.TryGetValue(vmId, out var incarnation) || incarnation != vm.Incarnation)
                continue;
            var known = _reported.TryGetValue(vmId, out var last) && last.HostId == hostId && last.Incarnation == incarnation;
            if (known ? last.Devices.Equals(devices) : devices.Disks.Count == 0 && devices.Nics.Count == 0)
                continue;
            changes.Add(new VmDevicesReported { VmId = vmId, HostId = hostId, Incarnation = incarnation, Devices = devices, ReportedAt = now });
        }
        return changes;
    }

    /// <summary>A VM no longer on the host it was last reported on is forgotten (its next run is announced afresh).</summary>
    private void ForgetGone(string hostId, IReadOnlyList<AgentVm> reported)
    {
        var present = reported.Select(vm => vm.VmId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (vmId, last) in _reported)
            if (last.HostId == hostId && !present.Contains(vmId.ToString()))
                _reported.TryRemove(vmId, out _);
    }

    /// <summary>Remembers a change once it is published: one that failed to publish is found again next sync.</summary>
    public void Published(VmDevicesReported change) => _reported[change.VmId] = (change.HostId, change.Incarnation, change.Devices);
}
