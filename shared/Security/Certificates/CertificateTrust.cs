using System.Security.Cryptography.X509Certificates;

namespace CloudBus.Security.Certificates;

/// <summary>
/// Trusts exactly the certificates the local CA issued, and only for what they name: not the
/// machine's public roots (a certificate any public CA issued proves nothing about our hosts), and
/// not a host's certificate where a service's is needed, nor another host's.
/// </summary>
public sealed class CertificateTrust(X509Certificate2 authority)
{
    public X509Certificate2 Authority { get; } = authority;

    /// <returns>Why <paramref name="presented"/> is not the certificate of <paramref name="kind"/> <paramref name="name"/> (any name when null), or null when it is.</returns>
    public string? Problem(X509Certificate2 presented, CertificateKind kind, string? name, DateTimeOffset now)
    {
        if (CertificateChains.IssuedBy(presented, Authority, now) is { } reasons)
            return $"the certificate {CertificateNames.Describe(presented)} is not one of this CloudBus CA's ({reasons})";
        if (CertificateNames.Of(presented) is not { } named) return $"the certificate '{presented.Subject}' names no CloudBus host or service";
        var expected = kind == CertificateKind.Host ? "host" : "control-plane service";
        var needed = name is null ? $"a {expected}'s" : $"{expected} {name}'s";
        var matches = named.Kind == kind && (name is null || string.Equals(named.Name, name, StringComparison.Ordinal));
        if (!matches) return $"the certificate of {CertificateNames.Describe(presented)} was presented where {needed} is needed";
        return null;
    }
}
