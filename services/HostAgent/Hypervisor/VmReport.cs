namespace CloudBus.HostAgent.Hypervisor;

/// <summary>One VM present on a host.</summary>
public sealed record VmReport(string VmId, VmPowerState State, long Incarnation, int CpuCores, int MemoryMib);
