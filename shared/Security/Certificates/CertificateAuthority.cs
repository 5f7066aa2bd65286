using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudBus.Security.Certificates;

/// <summary>
/// The local CA of one CloudBus installation: it issues one certificate per hypervisor host (its
/// agent serves with it) and one per control-plane service (it calls agents with it). Keys are
/// ECDSA P-256; nothing but these certificates is signed with the CA's key.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly X509Certificate2 _certificate;

    private CertificateAuthority(X509Certificate2 certificate) =>
        _certificate = certificate.HasPrivateKey ? certificate : throw new ArgumentException("The CA certificate has no private key.", nameof(certificate));

    /// <summary>The CA's certificate, without its key: what every host and service trusts.</summary>
    public X509Certificate2 Certificate => _certificate;

    public static CertificateAuthority Create(string name, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new CertificateAuthority(request.CreateSelfSigned(now - ClockSkew, now + validity));
    }

    /// <summary>A certificate for host <paramref name="hostId"/>, also valid as a TLS server name for <paramref name="addresses"/> (DNS names or IP addresses).</summary>
    public X509Certificate2 IssueHost(string hostId, IEnumerable<string> addresses, DateTimeOffset now, TimeSpan validity)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostId);
        foreach (var address in addresses)
        {
            if (IPAddress.TryParse(address, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(address);
        }
        return Issue(CertificateKind.Host, hostId, names.Build(), now, validity);
    }

    public X509Certificate2 IssueService(string service, DateTimeOffset now, TimeSpan validity)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(service);
        return Issue(CertificateKind.Service, service, names.Build(), now, validity);
    }

    private X509Certificate2 Issue(CertificateKind kind, string name, X509Extension alternativeNames, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(CertificateNames.Subject(kind, name), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // A host's agent serves TLS; a service calls as a TLS client. Each certificate may do only its part.
        var usage = kind == CertificateKind.Host ? Oids.ServerAuthentication : Oids.ClientAuthentication;
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(alternativeNames);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notAfter = now + validity < _certificate.NotAfter ? now + validity : new DateTimeOffset(_certificate.NotAfter);
        using var issued = request.Create(_certificate, now - ClockSkew, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    public static CertificateAuthority Load(string certificateFile, string keyFile) =>
        new(CertificateFiles.LoadWithKey(certificateFile, keyFile));

    public void Dispose() => _certificate.Dispose();

    private static class Oids
    {
        public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
        public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    }
}
