using System.Security.Cryptography.X509Certificates;

namespace CloudBus.Security.Certificates;

/// <summary>Whether a certificate chains to one given CA and nothing else: not to the machine's public roots.</summary>
public static class CertificateChains
{
    /// <returns>Why <paramref name="presented"/> is not issued by <paramref name="authority"/> (or not valid at <paramref name="now"/>), or null when it is.</returns>
    public static string? IssuedBy(X509Certificate2 presented, X509Certificate2 authority, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        // A local CA publishes no revocation lists: a lost certificate is replaced by a new CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (chain.Build(presented)) return null;
        var reasons = chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct();
        return string.Join("; ", reasons) is { Length: > 0 } joined ? joined : "not trusted";
    }
}
