using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Simulation;

namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>Body of <c>POST /fleet/hosts</c>. Only hostId is required; the rest default to the Simulated settings.</summary>
public sealed record AddHostRequest(string? HostId, string? Cluster, int? CpuCores, int? MemoryMib)
{
    public string? Problem() => this switch
    {
        { HostId: null or "" } => "hostId is required.",
        _ when !HostIdRules.IsValid(HostId) => HostIdRules.Describe(HostId),
        { Cluster: not null } when string.IsNullOrWhiteSpace(Cluster) => "cluster must not be blank.",
        { CpuCores: < 1 } => "cpuCores must be at least 1.",
        { MemoryMib: < 1 } => "memoryMib must be at least 1.",
        _ => null,
    };

    public HostShape ToShape(SimulatedOptions defaults) =>
        new(HostId!, Cluster ?? defaults.Cluster, CpuCores ?? defaults.CpuCores, MemoryMib ?? defaults.MemoryMib);
}
