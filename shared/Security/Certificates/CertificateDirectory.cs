namespace CloudBus.Security.Certificates;

/// <summary>
/// Where <c>cloudbus certs</c> keeps the local CA and what it issued, one folder per installation:
/// <c>ca.crt</c> (give it to every host and service), <c>ca.key</c> (keep it here),
/// <c>host-ID.crt/.key</c> and <c>service-NAME.crt/.key</c>.
/// </summary>
public sealed class CertificateDirectory(string path)
{
    public string Path { get; } = path;
    public string AuthorityCertificate => File("ca.crt");
    public string AuthorityKey => File("ca.key");

    public (string Certificate, string Key) Of(CertificateKind kind, string name)
    {
        var stem = $"{(kind == CertificateKind.Host ? "host" : "service")}-{name}";
        return (File(stem + ".crt"), File(stem + ".key"));
    }

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
