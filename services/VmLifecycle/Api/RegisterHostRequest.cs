using System.Text.Json.Serialization;
using CloudBus.Messages.Hosts;

namespace CloudBus.VmLifecycle.Api;

/// <summary>
/// POST /hosts: a hypervisor host and the address of its agent; a host on several management
/// networks gives its agent's (and BMC's) other addresses as alternates, tried in order after the first.
/// </summary>
public sealed record RegisterHostRequest(
    string? HostId, string? AgentAddress, string? Cluster, int CpuCores, int MemoryMib, string[]? Tags, int? StorageGib = null, string? BmcAddress = null,
    string[]? AlternateAgentAddresses = null, string[]? AlternateBmcAddresses = null)
{
    private const int MaxAlternates = 8;

    public RequestValidation Validate() => new RequestValidation()
        .RequireId(HostId, "hostId")
        .Require(IsAgentUrl(AgentAddress), "agentAddress", "agentAddress must be an absolute http(s) URL, for example http://10.0.0.5:7070/.")
        .Require(AlternateAgentAddresses is null or [] || (AlternateAgentAddresses.Length <= MaxAlternates && AlternateAgentAddresses.All(IsAgentUrl)
                && AlternateAgentAddresses.Append(AgentAddress).Distinct(StringComparer.OrdinalIgnoreCase).Count() == AlternateAgentAddresses.Length + 1),
            "alternateAgentAddresses", $"alternateAgentAddresses must be at most {MaxAlternates} distinct absolute http(s) URLs, none equal to agentAddress.")
        .RequireId(Cluster, "cluster")
        .Require(CpuCores is > 0 and <= 4096, "cpuCores", "cpuCores must be between 1 and 4096.")
        .Require(MemoryMib is > 0 and <= 64 * 1024 * 1024, "memoryMib", "memoryMib must be between 1 and 67108864.")
        .Require(StorageGib is null or (> 0 and <= 100_000_000), "storageGib", "storageGib must be between 1 and 100000000 when given.")
        .Require(BmcAddress is null || BmcAddresses.IsValid(BmcAddress), "bmcAddress", "bmcAddress must be host:port with a port between 1 and 65535, for example 10.0.1.5:623.")
        .Require(AlternateBmcAddresses is null or [] || (BmcAddress is not null && AlternateBmcAddresses.Length <= MaxAlternates && AlternateBmcAddresses.All(BmcAddresses.IsValid)
                && AlternateBmcAddresses.Append(BmcAddress).Distinct(StringComparer.OrdinalIgnoreCase).Count() == AlternateBmcAddresses.Length + 1),
            "alternateBmcAddresses", $"alternateBmcAddresses need a bmcAddress and must be at most {MaxAlternates} distinct host:port addresses, none equal to it.")
        .Require(Tags is null || Tags.All(t => !string.IsNullOrWhiteSpace(t) && t.Length <= 63), "tags", "tags must be non-empty and at most 63 characters.");

    /// <summary>Every agent address given (valid requests only).</summary>
    [JsonIgnore]
    public IEnumerable<Uri> AgentUris => new[] { AgentAddress! }.Concat(AlternateAgentAddresses ?? []).Select(a => new Uri(a));

    private static bool IsAgentUrl(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
