using CloudBus.Messages.Vms;

namespace CloudBus.HostMonitor.Sync;

/// <summary>What VmLifecycle believes about a VM on a host (from HostMonitor's VM view).</summary>
public sealed record ExpectedVm(Guid VmId, VmState State, long Incarnation);
