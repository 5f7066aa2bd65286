using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api.ControlPlane;

/// <summary>Body of <c>POST /hosts/{hostId}/vms/{vmId}/start</c>. Every field is required.</summary>
public sealed record StartVmRequest(long? Incarnation, int? CpuCores, int? MemoryMib)
{
    /// <summary>What is wrong with the request, or null if nothing is.</summary>
    public string? Problem() => this switch
    {
        { Incarnation: null } => "incarnation is required.",
        { Incarnation: < 0 } => "incarnation must not be negative.",
        { CpuCores: null or < 1 } => "cpuCores is required and must be at least 1.",
        { MemoryMib: null or < 1 } => "memoryMib is required and must be at least 1.",
        _ => null,
    };

    public VmSpec ToSpec() => new(Incarnation!.Value, CpuCores!.Value, MemoryMib!.Value);
}
