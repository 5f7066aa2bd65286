using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Storage;

namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// The control-plane face of the simulated fleet: every call is subject to the host's faults. The
/// simulation answers at once (a fault's delay is in <see cref="HostCall{T}.ResponseDelay"/>), so its
/// calls are synchronous; the asynchronous interface only wraps them.
/// </summary>
public sealed class SimulatedDriver(SimulatedFleet fleet, HeartbeatStore storage, ILogger<SimulatedDriver> logger)
    : IHypervisorDriver
{
    public HostCall<HostPing> Ping(string hostId) =>
        fleet.ControlPlaneCall(hostId, (host, now) => new HostPing(host.HostId, host.BootId, now));

    public HostCall<HostVmReport> ListVms(string hostId) =>
        fleet.ControlPlaneCall(hostId, (host, now) => host.Report(now));

    public HostCall<StartVmResult> StartVm(string hostId, string vmId, VmSpec spec)
    {
        var call = fleet.ControlPlaneCall(hostId, (host, now) => host.StartVm(vmId, spec, now));
        if (call.Value?.Outcome == StartVmOutcome.Started)
        {
            logger.VmStarted(vmId, spec.Incarnation, hostId);
        }

        return call;
    }

    public HostCall<StopVmResult> StopVm(string hostId, string vmId, bool force) =>
        Stop(hostId, vmId, force ? VmRunEndReason.ForceStopped : VmRunEndReason.Stopped);

    public HostCall<StopVmResult> DestroyVm(string hostId, string vmId) =>
        Stop(hostId, vmId, VmRunEndReason.Destroyed);

    public HostCall<NeighbourHeartbeat?> ReadNeighbourHeartbeat(string hostId, string otherHostId) =>
        fleet.ControlPlaneCall(hostId, (_, now) =>
            storage.TryRead(otherHostId) is { } heartbeat
                ? heartbeat.ReadAt(now)
                : null);

    public HostCall<bool> PingNeighbour(string hostId, string otherHostId) =>
        fleet.ControlPlaneCall(hostId, (_, _) => fleet.IsReachableByNeighboursLocked(otherHostId));

    Task<HostCall<HostPing>> IHypervisorDriver.PingAsync(string hostId, CancellationToken cancellationToken) =>
        Task.FromResult(Ping(hostId));

    Task<HostCall<HostVmReport>> IHypervisorDriver.ListVmsAsync(string hostId, CancellationToken cancellationToken) =>
        Task.FromResult(ListVms(hostId));

    Task<HostCall<StartVmResult>> IHypervisorDriver.StartVmAsync(string hostId, string vmId, VmSpec spec, CancellationToken cancellationToken) =>
        Task.FromResult(StartVm(hostId, vmId, spec));

    Task<HostCall<StopVmResult>> IHypervisorDriver.StopVmAsync(string hostId, string vmId, bool force, CancellationToken cancellationToken) =>
        Task.FromResult(StopVm(hostId, vmId, force));

    Task<HostCall<StopVmResult>> IHypervisorDriver.DestroyVmAsync(string hostId, string vmId, CancellationToken cancellationToken) =>
        Task.FromResult(DestroyVm(hostId, vmId));

    Task<HostCall<NeighbourHeartbeat?>> IHypervisorDriver.ReadNeighbourHeartbeatAsync(string hostId, string otherHostId, CancellationToken cancellationToken) =>
        Task.FromResult(ReadNeighbourHeartbeat(hostId, otherHostId));

    // The simulation knows every host's reachability; the address is not needed.
    Task<HostCall<bool>> IHypervisorDriver.PingNeighbourAsync(string hostId, string otherHostId, IReadOnlyList<Uri> otherAddresses, CancellationToken cancellationToken) =>
        Task.FromResult(PingNeighbour(hostId, otherHostId));

    private HostCall<StopVmResult> Stop(string hostId, string vmId, VmRunEndReason reason)
    {
        var call = fleet.ControlPlaneCall(hostId, (host, now) => host.StopVm(vmId, reason, now));
        if (call.Value?.WasRunning == true)
        {
            logger.VmStopped(vmId, hostId, reason);
        }

        return call;
    }
}
