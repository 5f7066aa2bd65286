using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api.ControlPlane;

public sealed record VmStoppedReply(string VmId, VmPowerState State);
