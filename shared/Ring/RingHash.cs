using System.Text;

namespace CloudBus.Ring;

/// <summary>
/// A well-mixed 64-bit hash of a string: FNV-1a over the UTF-8 bytes, then MurmurHash3's fmix64
/// finalizer. FNV alone leaves similar inputs ("node-1#7", "node-1#8") close together, which is
/// how ZStack's 500 virtual nodes fell into a few clusters; the finalizer spreads every input bit
/// over the whole word. Stable across processes and versions: never change it without a plan,
/// or instances running different builds disagree about owners.
/// </summary>
public static class RingHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Of(string value)
    {
        Span<byte> buffer = value.Length <= 128 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        var length = Encoding.UTF8.GetBytes(value, buffer);
        var hash = FnvOffset;
        foreach (var b in buffer[..length])
        {
            hash ^= b;
            hash *= FnvPrime;
        }
        return Mix(hash);
    }

    /// <summary>MurmurHash3's 64-bit finalizer: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong key)
    {
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdUL;
        key ^= key >> 33;
        key *= 0xc4ceb9fe1a85ec53UL;
        key ^= key >> 33;
        return key;
    }
}
