using CloudBus.Messages.Hosts;

namespace CloudBus.VmLifecycle.Api;

/// <summary>The rules for a host's addresses, shared by registering a host and changing its BMC.</summary>
public static class HostAddressRules
{
    /// <summary>Alternate agent or BMC addresses a host may have (other management networks).</summary>
    public const int MaxAlternates = 8;

    /// <summary>A BMC address (optional) and its alternates: each host:port, distinct, alternates only with a first address.</summary>
    public static RequestValidation RequireBmcAddresses(this RequestValidation validation, string? bmcAddress, string[]? alternates) => validation
        .Require(bmcAddress is null || BmcAddresses.IsValid(bmcAddress), "bmcAddress", "bmcAddress must be host:port with a port between 1 and 65535, for example 10.0.1.5:623.")
        .Require(alternates is null or [] || (bmcAddress is not null && alternates.Length <= MaxAlternates && alternates.All(BmcAddresses.IsValid)
                && alternates.Append(bmcAddress).Distinct(StringComparer.OrdinalIgnoreCase).Count() == alternates.Length + 1),
            "alternateBmcAddresses", $"alternateBmcAddresses need a bmcAddress and must be at most {MaxAlternates} distinct host:port addresses, none equal to it.");
}
