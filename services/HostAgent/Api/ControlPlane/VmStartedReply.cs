using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api.ControlPlane;

public sealed record VmStartedReply(string VmId, VmPowerState State, long Incarnation, VmDevices Devices);
