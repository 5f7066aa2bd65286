namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// What the control plane can ask of the hosts this agent serves. The simulated driver serves a
/// whole fleet from one process; the libvirt driver serves the one host it runs on.
/// Every call can come back <see cref="HostCallStatus.UnknownHost"/> or
/// <see cref="HostCallStatus.Unreachable"/>; an unreachable host has done nothing.
/// </summary>
public interface IHypervisorDriver
{
    Task<HostCall<HostPing>> PingAsync(string hostId, CancellationToken cancellationToken);

    Task<HostCall<HostVmReport>> ListVmsAsync(string hostId, CancellationToken cancellationToken);

    Task<HostCall<StartVmResult>> StartVmAsync(string hostId, string vmId, VmSpec spec, CancellationToken cancellationToken);

    /// <summary>Stops a VM; <paramref name="force"/> pulls the plug instead of a clean shutdown.</summary>
    Task<HostCall<StopVmResult>> StopVmAsync(string hostId, string vmId, bool force, CancellationToken cancellationToken);

    Task<HostCall<StopVmResult>> DestroyVmAsync(string hostId, string vmId, CancellationToken cancellationToken);

    /// <summary>Host <paramref name="hostId"/> reads another host's heartbeat from shared storage; null if none was ever written.</summary>
    Task<HostCall<NeighbourHeartbeat?>> ReadNeighbourHeartbeatAsync(string hostId, string otherHostId, CancellationToken cancellationToken);

    /// <summary>Host <paramref name="hostId"/> tries to reach another host over the hosts' own network.</summary>
    /// <param name="otherAddresses">Where the other host's agent listens, on each of its networks (none when the caller did not say).</param>
    Task<HostCall<bool>> PingNeighbourAsync(string hostId, string otherHostId, IReadOnlyList<Uri> otherAddresses, CancellationToken cancellationToken);
}
