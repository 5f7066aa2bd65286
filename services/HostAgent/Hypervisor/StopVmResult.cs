namespace CloudBus.HostAgent.Hypervisor;

/// <summary>Result of a stop or destroy; stopping an absent VM succeeds with <see cref="WasRunning"/> false.</summary>
public sealed record StopVmResult(string VmId, bool WasRunning);
