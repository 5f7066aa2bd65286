using System.Security.Cryptography;
using System.Text;

namespace CloudBus.ServiceDefaults;

/// <summary>
/// Ids derived from names, the same on every instance and every try: what makes a repeated
/// request (a redelivery, a retried call with the same idempotency key) land on what the first made.
/// </summary>
public static class NameBasedGuid
{
    /// <summary>An RFC 4122 name-based id (version 5 layout, SHA-256 instead of SHA-1).</summary>
    public static Guid From(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
