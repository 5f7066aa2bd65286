using System.Text.Json.Serialization;

namespace CloudBus.VmLifecycle.Api;

/// <summary>
/// POST /hosts: a hypervisor host and the address of its agent; a host on several management
/// networks gives its agent's (and BMC's) other addresses as alternates, tried in order after the first.
/// </summary>
public sealed record RegisterHostRequest(
    string? HostId, string? AgentAddress, string? Cluster, int CpuCores, int MemoryMib, string[]? Tags, int? StorageGib = null, string? BmcAddress = null,
    string[]? AlternateAgentAddresses = null, string[]? AlternateBmcAddresses = null)
{
    public RequestValidation Validate() => new RequestValidation()
        .RequireId(HostId, "hostId")
        .Require(IsAgentUrl(AgentAddress), "agentAddress", "agentAddress must be an absolute http(s) URL, for example http://10.0.0.5:7070/.")
        .Require(AlternateAgentAddresses is null or [] || (AlternateAgentAddresses.Length <= HostAddressRules.MaxAlternates && AlternateAgentAddresses.All(IsAgentUrl)
                && AlternateAgentAddresses.Append(AgentAddress).Distinct(StringComparer.OrdinalIgnoreCase).Count() == AlternateAgentAddresses.Length + 1),
            "alternateAgentAddresses", $"alternateAgentAddresses must be at most {HostAddressRules.MaxAlternates} distinct absolute http(s) URLs, none equal to agentAddress.")
        .RequireId(Cluster, "cluster")
        .Require(CpuCores is > 0 and <= 4096, "cpuCores", "cpuCores must be between 1 and 4096.")
        .Require(MemoryMib is > 0 and <= 64 * 1024 * 1024, "memoryMib", "memoryMib must be between 1 and 67108864.")
        .Require(StorageGib is null or (> 0 and <= 100_000_000), "storageGib", "storageGib must be between 1 and 100000000 when given.")
        .RequireBmcAddresses(BmcAddress, AlternateBmcAddresses)
        .Require(Tags is null || Tags.All(t => !string.IsNullOrWhiteSpace(t) && t.Length <= 63), "tags", "tags must be non-empty and at most 63 characters.");

    /// <summary>Every agent address given (valid requests only).</summary>
    [JsonIgnore]
    public IEnumerable<Uri> AgentUris => new[] { AgentAddress! }.Concat(AlternateAgentAddresses ?? []).Select(a => new Uri(a));

    private static bool IsAgentUrl(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
