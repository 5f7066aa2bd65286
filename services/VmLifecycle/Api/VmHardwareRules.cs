using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CloudBus.VmLifecycle.Api;

/// <summary>What a VM's disks and NICs may be: each rule answers null when fine, else a message naming what is allowed.</summary>
public static partial class VmHardwareRules
{
    public const int MaxDisks = 16, MaxNics = 8;

    public static string? Disks(IReadOnlyList<DiskRequest>? disks) => disks switch
    {
        null => null,
        { Count: > MaxDisks } => $"at most {MaxDisks} disks.",
        _ when disks.Any(d => d is null) => "a disk cannot be null.",
        _ when disks.Any(d => d.Source is null || !Path.IsPathFullyQualified(d.Source) || d.Source.Any(char.IsControl)) =>
            "each disk needs a source: the absolute path of its image on storage the VM's hosts reach.",
        _ when disks.Any(d => d.Format is not (null or "raw" or "qcow2")) => "a disk's format must be raw or qcow2.",
        _ when disks.Select(d => d.Source).Distinct(StringComparer.Ordinal).Count() < disks.Count => "two disks cannot have the same source.",
        _ => null,
    };

    public static string? Nics(IReadOnlyList<NicRequest>? nics) => nics switch
    {
        null => null,
        { Count: > MaxNics } => $"at most {MaxNics} NICs.",
        _ when nics.Any(n => n is null) => "a NIC cannot be null.",
        _ when nics.Any(n => n.Mac is not null && !Mac().IsMatch(n.Mac)) => "a NIC's mac must look like 52:54:00:12:34:56.",
        _ when nics.Any(n => n.Network is not null && n.Bridge is not null) => "a NIC has a network or a bridge, not both.",
        _ when nics.Any(n => (n.Network ?? n.Bridge) is { } name && !NetworkName().IsMatch(name)) =>
            "a NIC's network or bridge must be 1-63 letters, digits, '.', '-' or '_'.",
        _ when nics.Where(n => n.Mac is not null).Select(n => n.Mac!.ToLowerInvariant()).Distinct().Count() < nics.Count(n => n.Mac is not null) =>
            "two NICs cannot have the same mac.",
        _ => null,
    };

    /// <summary>A locally administered MAC in QEMU's range (52:54:00), random in its last three bytes.</summary>
    public static string NewMac()
    {
        Span<byte> tail = stackalloc byte[3];
        RandomNumberGenerator.Fill(tail);
        return $"52:54:00:{tail[0]:x2}:{tail[1]:x2}:{tail[2]:x2}";
    }

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex Mac();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,63}$")]
    private static partial Regex NetworkName();
}
