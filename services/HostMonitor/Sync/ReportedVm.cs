using CloudBus.Messages.Vms;

namespace CloudBus.HostMonitor.Sync;

/// <summary>A VM as the host reported it; <see cref="PowerState"/> is null for a state this version does not know.</summary>
public sealed record ReportedVm(string VmId, VmPowerState? PowerState, long Incarnation);
