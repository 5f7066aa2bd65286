namespace CloudBus.HostAgent.Hypervisor;

/// <summary>What the control plane asks for when it starts a VM.</summary>
public sealed record VmSpec(long Incarnation, int CpuCores, int MemoryMib);
