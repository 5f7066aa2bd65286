using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Api;

/// <summary>A host's capacity as the API shows it.</summary>
public sealed record HostView(
    string HostId, string AgentAddress, string Cluster, string Status, bool Enabled, int CpuCores, int CpuUsed,
    int MemoryMib, int MemoryUsed, int? StorageGib, int StorageUsed, IReadOnlyList<string> Tags, string? BmcAddress,
    bool InMaintenance = false, string? MaintenanceReason = null,
    IReadOnlyList<string>? AlternateAgentAddresses = null, IReadOnlyList<string>? AlternateBmcAddresses = null)
{
    public static HostView From(HostRecord host) => new(
        host.HostId, host.AgentAddress.ToString(), host.Cluster, host.Status.ToString(), host.Enabled,
        host.CpuCores, host.CpuUsed, host.MemoryMib, host.MemoryUsed, host.StorageGib, host.StorageUsed, host.Tags, host.BmcAddress,
        host.InMaintenance, host.MaintenanceReason,
        [.. host.AlternateAgentAddresses.Select(a => a.ToString())], host.AlternateBmcAddresses);
}
