namespace CloudBus.HostAgent.Simulation;

/// <summary>The same VM running on two hosts at once: the split-brain the control plane must never cause.</summary>
public sealed record DoubleRun(string VmId, VmRunInterval First, VmRunInterval Second);
