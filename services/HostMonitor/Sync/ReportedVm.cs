using CloudBus.Messages.Vms;

namespace CloudBus.HostMonitor.Sync;

/// <summary>A VM as the host reported it.</summary>
public sealed record ReportedVm(string VmId, VmPowerState PowerState, long Incarnation);
