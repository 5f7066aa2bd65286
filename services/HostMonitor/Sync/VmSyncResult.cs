using CloudBus.Messages.Vms;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// What one sync of one host found: reports to send to VmLifecycle, and "strangers" (VMs running
/// on the host that the control plane does not expect there; reported, never adopted or killed).
/// </summary>
public sealed record VmSyncResult(IReadOnlyList<VmPowerStateReported> Reports, IReadOnlyList<string> Strangers);
