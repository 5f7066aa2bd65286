namespace CloudBus.HostAgent.Hypervisor;

/// <summary>One VM present on a host, with its devices as the host runs them.</summary>
public sealed record VmReport(string VmId, VmPowerState State, long Incarnation, int CpuCores, int MemoryMib, VmDevices? Devices = null);
