using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Storage;

namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// One simulated hypervisor host. Not thread-safe: every member is called under the fleet lock,
/// which also guards the audit, so a VM's state and its audit interval change together.
/// </summary>
internal sealed class SimulatedHost
{
    private readonly Dictionary<string, SimulatedVm> _vms = new(StringComparer.Ordinal);
    private readonly VmRunAudit _audit;

    public SimulatedHost(HostShape shape, VmRunAudit audit, DateTimeOffset now)
    {
        Shape = shape;
        _audit = audit;
        Heartbeat = new HostHeartbeatTracker(now);
        PowerOn(now);
    }

    public HostShape Shape { get; }

    public string HostId => Shape.HostId;

    public bool PoweredOn { get; private set; }

    public Guid BootId { get; private set; }

    public HostFaults Faults { get; set; } = HostFaults.None;

    public int VmCount => _vms.Count;

    /// <summary>Cut off or isolated: the control plane cannot reach it, though it may still be alive.</summary>
    public bool ReachableFromControlPlane => PoweredOn && !Faults.CutOffFromControlPlane && !Faults.Isolated;

    /// <summary>Neighbours reach it over the hypervisor network unless it is off or isolated.</summary>
    public bool ReachableByNeighbours => PoweredOn && !Faults.Isolated;

    public HostHeartbeatTracker Heartbeat { get; }

    public StartVmResult StartVm(string vmId, VmSpec spec, DateTimeOffset now)
    {
        if (_vms.TryGetValue(vmId, out var existing))
        {
            return existing.Spec.Incarnation == spec.Incarnation
                ? new StartVmResult(StartVmOutcome.AlreadyRunning, vmId, spec.Incarnation, null, DevicesOf(existing.Spec))
                : new StartVmResult(
                    StartVmOutcome.IncarnationConflict,
                    vmId,
                    existing.Spec.Incarnation,
                    $"VM '{vmId}' is already running on host '{HostId}' with incarnation {existing.Spec.Incarnation}, not {spec.Incarnation}.");
        }

        var freeCores = Shape.CpuCores - _vms.Values.Sum(v => v.Spec.CpuCores);
        var freeMemory = Shape.MemoryMib - _vms.Values.Sum(v => v.Spec.MemoryMib);
        if (spec.CpuCores > freeCores || spec.MemoryMib > freeMemory)
        {
            return new StartVmResult(
                StartVmOutcome.InsufficientCapacity,
                vmId,
                null,
                $"Host '{HostId}' has {freeCores} free CPU cores and {freeMemory} MiB free memory; "
                + $"VM '{vmId}' needs {spec.CpuCores} cores and {spec.MemoryMib} MiB.");
        }

        var handle = _audit.Open(vmId, HostId, spec.Incarnation, now);
        _vms[vmId] = new SimulatedVm(vmId, spec, VmPowerState.Running, handle);
        return new StartVmResult(StartVmOutcome.Started, vmId, spec.Incarnation, null, DevicesOf(spec));
    }

    public StopVmResult StopVm(string vmId, VmRunEndReason reason, DateTimeOffset now)
    {
        if (!_vms.Remove(vmId, out var vm))
        {
            return new StopVmResult(vmId, WasRunning: false);
        }

        _audit.Close(vm.AuditHandle, now, reason);
        return new StopVmResult(vmId, WasRunning: true);
    }

    /// <summary>Every VM dies at the same instant; returns how many there were.</summary>
    public int KillAllVms(VmRunEndReason reason, DateTimeOffset now)
    {
        var killed = _vms.Count;
        foreach (var vm in _vms.Values)
        {
            _audit.Close(vm.AuditHandle, now, reason);
        }

        _vms.Clear();
        return killed;
    }

    /// <summary>Cuts the power: VMs die and heartbeats stop. Returns how many VMs died.</summary>
    public int PowerOff(DateTimeOffset now)
    {
        var killed = KillAllVms(VmRunEndReason.PowerOff, now);
        PoweredOn = false;
        return killed;
    }

    /// <summary>Boots with no VMs and a new boot id.</summary>
    public void PowerOn(DateTimeOffset now)
    {
        PoweredOn = true;
        BootId = Guid.NewGuid();
        Heartbeat.Rebooted(now);
    }

    public HostVmReport Report(DateTimeOffset now) =>
        new(HostId, now, [.. _vms.Values
            .OrderBy(v => v.VmId, StringComparer.Ordinal)
            .Select(v => new VmReport(v.VmId, v.State, v.Spec.Incarnation, v.Spec.CpuCores, v.Spec.MemoryMib, DevicesOf(v.Spec)))]);

    /// <summary>A simulated VM has the devices it was started with, named as libvirt would name them.</summary>
    private static VmDevices DevicesOf(VmSpec spec) => new(
        [.. spec.DisksGiven.Select((disk, index) => new VmDisk(DiskTargets.Name(index), disk.Source, "virtio"))],
        [.. spec.NicsGiven.Select(nic => new VmNic(nic.Mac, nic.Network ?? nic.Bridge, "virtio"))]);

    public FleetHostView View() =>
        new(HostId, Shape.Cluster, Shape.CpuCores, Shape.MemoryMib, PoweredOn, Faults, VmCount);
}
