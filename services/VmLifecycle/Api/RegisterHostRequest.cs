using CloudBus.Messages.Hosts;

namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /hosts: a hypervisor host and the address of its agent.</summary>
public sealed record RegisterHostRequest(string? HostId, string? AgentAddress, string? Cluster, int CpuCores, int MemoryMib, string[]? Tags, int? StorageGib = null, string? BmcAddress = null)
{
    public RequestValidation Validate() => new RequestValidation()
        .RequireId(HostId, "hostId")
        .Require(Uri.TryCreate(AgentAddress, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
            "agentAddress", "agentAddress must be an absolute http(s) URL, for example http://10.0.0.5:7070/.")
        .RequireId(Cluster, "cluster")
        .Require(CpuCores is > 0 and <= 4096, "cpuCores", "cpuCores must be between 1 and 4096.")
        .Require(MemoryMib is > 0 and <= 64 * 1024 * 1024, "memoryMib", "memoryMib must be between 1 and 67108864.")
        .Require(StorageGib is null or (> 0 and <= 100_000_000), "storageGib", "storageGib must be between 1 and 100000000 when given.")
        .Require(BmcAddress is null || BmcAddresses.IsValid(BmcAddress), "bmcAddress", "bmcAddress must be host:port with a port between 1 and 65535, for example 10.0.1.5:623.")
        .Require(Tags is null || Tags.All(t => !string.IsNullOrWhiteSpace(t) && t.Length <= 63), "tags", "tags must be non-empty and at most 63 characters.");
}
