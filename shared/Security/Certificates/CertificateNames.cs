using System.Security.Cryptography.X509Certificates;

namespace CloudBus.Security.Certificates;

/// <summary>
/// How a certificate of the local CA names what it speaks for: the subject's common name is the
/// host id or the service name, its organizational unit says which of the two it is. One place
/// writes and reads that convention.
/// </summary>
public static class CertificateNames
{
    private const string HostUnit = "cloudbus-host";
    private const string ServiceUnit = "cloudbus-service";
    private const string CommonNameOid = "2.5.4.3";
    private const string UnitOid = "2.5.4.11";

    public static X500DistinguishedName Subject(CertificateKind kind, string name)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        subject.AddOrganizationalUnitName(kind == CertificateKind.Host ? HostUnit : ServiceUnit);
        return subject.Build();
    }

    /// <returns>What the certificate speaks for, or null when its subject does not follow the convention.</returns>
    public static (CertificateKind Kind, string Name)? Of(X509Certificate2 certificate)
    {
        string? name = null, unit = null;
        foreach (var part in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            var oid = part.GetSingleElementType().Value;
            if (oid == CommonNameOid) name = part.GetSingleElementValue();
            else if (oid == UnitOid) unit = part.GetSingleElementValue();
        }
        if (string.IsNullOrEmpty(name)) return null;
        return unit switch
        {
            HostUnit => (CertificateKind.Host, name),
            ServiceUnit => (CertificateKind.Service, name),
            _ => null,
        };
    }

    /// <summary>"host host-1", "service HostMonitor", or the raw subject: for messages.</summary>
    public static string Describe(X509Certificate2 certificate) =>
        Of(certificate) is { } named ? $"{(named.Kind == CertificateKind.Host ? "host" : "service")} {named.Name}" : $"'{certificate.Subject}'";
}
