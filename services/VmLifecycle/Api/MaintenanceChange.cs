namespace CloudBus.VmLifecycle.Api;

/// <summary>What <c>POST /hosts/{id}/maintenance</c> answers (202): the host's maintenance now, why, and whether that changed anything.</summary>
public sealed record MaintenanceChange(string HostId, bool InMaintenance, string Reason, bool Changed);
