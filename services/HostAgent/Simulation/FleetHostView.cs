namespace CloudBus.HostAgent.Simulation;

/// <summary>How one simulated host looks from the back door.</summary>
public sealed record FleetHostView(
    string HostId,
    string Cluster,
    int CpuCores,
    int MemoryMib,
    bool PoweredOn,
    HostFaults Faults,
    int VmCount);
