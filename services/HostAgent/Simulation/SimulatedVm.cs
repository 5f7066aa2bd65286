using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Simulation;

/// <summary>A VM present on a simulated host, with the handle of its open audit interval.</summary>
internal sealed record SimulatedVm(string VmId, VmSpec Spec, VmPowerState State, int AuditHandle);
