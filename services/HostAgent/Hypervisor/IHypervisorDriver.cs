namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// What the control plane can ask of the hosts this agent serves. The simulated driver serves a
/// whole fleet from one process; a libvirt driver would serve the one host it runs on.
/// Every call can come back <see cref="HostCallStatus.UnknownHost"/> or
/// <see cref="HostCallStatus.Unreachable"/>; an unreachable host has done nothing.
/// </summary>
public interface IHypervisorDriver
{
    HostCall<HostPing> Ping(string hostId);

    HostCall<HostVmReport> ListVms(string hostId);

    HostCall<StartVmResult> StartVm(string hostId, string vmId, VmSpec spec);

    /// <summary>Stops a VM; <paramref name="force"/> pulls the plug instead of a clean shutdown.</summary>
    HostCall<StopVmResult> StopVm(string hostId, string vmId, bool force);

    HostCall<StopVmResult> DestroyVm(string hostId, string vmId);

    /// <summary>Host <paramref name="hostId"/> reads another host's heartbeat from shared storage; null if none was ever written.</summary>
    HostCall<NeighbourHeartbeat?> ReadNeighbourHeartbeat(string hostId, string otherHostId);

    /// <summary>Host <paramref name="hostId"/> tries to reach another host over the hypervisor network.</summary>
    HostCall<bool> PingNeighbour(string hostId, string otherHostId);
}
