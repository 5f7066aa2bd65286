using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api.ControlPlane;

/// <summary>Body of <c>POST /hosts/{hostId}/vms/{vmId}/start</c>. Every field but disks and NICs is required.</summary>
public sealed record StartVmRequest(long? Incarnation, int? CpuCores, int? MemoryMib, DiskSpec[]? Disks = null, NicSpec[]? Nics = null)
{
    /// <summary>What is wrong with the request, or null if nothing is.</summary>
    public string? Problem() => this switch
    {
        { Incarnation: null } => "incarnation is required.",
        { Incarnation: < 0 } => "incarnation must not be negative.",
        { CpuCores: null or < 1 } => "cpuCores is required and must be at least 1.",
        { MemoryMib: null or < 1 } => "memoryMib is required and must be at least 1.",
        { Disks.Length: > DiskTargets.Max } => $"at most {DiskTargets.Max} disks.",
        _ when Disks?.Any(d => !Path.IsPathFullyQualified(d.Source ?? "") || d.Format is not ("raw" or "qcow2")) == true =>
            "each disk needs an absolute source path and a format of raw or qcow2.",
        _ when Nics?.Any(n => !MacAddresses.IsValid(n.Mac) || (n.Network is not null && n.Bridge is not null)) == true =>
            "each NIC needs a MAC such as 52:54:00:12:34:56 and at most one of network and bridge.",
        _ => null,
    };

    public VmSpec ToSpec() => new(Incarnation!.Value, CpuCores!.Value, MemoryMib!.Value, Disks, Nics);
}
