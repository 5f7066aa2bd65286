using System.Text.RegularExpressions;

namespace CloudBus.HostAgent.Hypervisor;

/// <summary>A NIC's MAC as libvirt writes it: six pairs of hex digits separated by colons.</summary>
public static partial class MacAddresses
{
    public static bool IsValid(string? mac) => mac is not null && Pattern().IsMatch(mac);

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex Pattern();
}
