namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// The faults injected into one host, other than power.
/// </summary>
/// <param name="CutOffFromControlPlane">Control-plane requests fail; VMs, heartbeat and neighbours unaffected.</param>
/// <param name="Isolated">Control-plane requests, heartbeat writes and neighbour pings all fail.</param>
/// <param name="DelayMs">Every control-plane response is delayed this long.</param>
/// <param name="FailureRate">This fraction (0.0-1.0) of control-plane requests fail at random.</param>
public sealed record HostFaults(bool CutOffFromControlPlane, bool Isolated, int DelayMs, double FailureRate)
{
    public static HostFaults None { get; } = new(false, false, 0, 0.0);
}
