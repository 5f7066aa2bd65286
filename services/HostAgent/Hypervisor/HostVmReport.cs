namespace CloudBus.HostAgent.Hypervisor;

/// <summary>Every VM present on a host at one instant.</summary>
public sealed record HostVmReport(string HostId, DateTimeOffset At, IReadOnlyList<VmReport> Vms);
