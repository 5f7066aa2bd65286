using System.Security.Cryptography.X509Certificates;
using CloudBus.Security.Certificates;

namespace CloudBus.Bench;

/// <summary>
/// A local CA in a temporary folder, as <c>cloudbus certs</c> makes one (same code, in-process for
/// speed), with the settings that give an agent or a service its certificate: for the benchmarks
/// and test stacks whose hosts speak mutual TLS.
/// </summary>
public sealed class LocalCertificates : IDisposable
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(1);
    private readonly CertificateAuthority _authority;
    private readonly CertificateDirectory _folder;

    public LocalCertificates()
    {
        _folder = new CertificateDirectory(Directory.CreateTempSubdirectory("cloudbus-certs-").FullName);
        _authority = CertificateAuthority.Create("CloudBus local CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(2));
        CertificateFiles.Write(_authority.Certificate, _folder.AuthorityCertificate, _folder.AuthorityKey);
    }

    public string CaFile => _folder.AuthorityCertificate;

    /// <summary>Issues (once) the certificate of host <paramref name="hostId"/>; returns its files.</summary>
    public (string Certificate, string Key) Host(string hostId) => Issue(CertificateKind.Host, hostId);

    public (string Certificate, string Key) Service(string name) => Issue(CertificateKind.Service, name);

    /// <summary>An agent serving <paramref name="hostId"/>'s certificate, answering only control-plane services.</summary>
    public Dictionary<string, string> AgentSettings(string hostId)
    {
        var (certificate, key) = Host(hostId);
        return new() { ["HostAgent__Tls__CaFile"] = CaFile, ["HostAgent__Tls__CertificateFile"] = certificate, ["HostAgent__Tls__KeyFile"] = key };
    }

    /// <summary>A control-plane service calling agents with its certificate, over https only.</summary>
    public Dictionary<string, string> ServiceSettings(string service)
    {
        var (certificate, key) = Service(service);
        return new()
        {
            ["AgentClient__CaFile"] = CaFile, ["AgentClient__CertificateFile"] = certificate, ["AgentClient__KeyFile"] = key,
            ["AgentClient__AllowPlainHttp"] = "false",
        };
    }

    /// <summary>
    /// A client for https agents that trusts any host certificate of this CA (their health, or a
    /// test of what an agent allows) and presents <paramref name="clientCertificate"/>, if any.
    /// </summary>
    public HttpClient HttpsClient(TimeSpan timeout, X509Certificate2? clientCertificate = null)
    {
        var trust = new CertificateTrust(CertificateFiles.LoadPublic(CaFile));
        var handler = new SocketsHttpHandler();
        if (clientCertificate is not null) handler.SslOptions.ClientCertificates = [clientCertificate];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && trust.Problem(new X509Certificate2(certificate), CertificateKind.Host, null, DateTimeOffset.UtcNow) is null;
        return new HttpClient(handler) { Timeout = timeout };
    }

    private (string Certificate, string Key) Issue(CertificateKind kind, string name)
    {
        var files = _folder.Of(kind, name);
        lock (_authority)
        {
            if (File.Exists(files.Certificate)) return files;
            var now = DateTimeOffset.UtcNow;
            using var issued = kind == CertificateKind.Host ? _authority.IssueHost(name, ["127.0.0.1"], now, Validity) : _authority.IssueService(name, now, Validity);
            CertificateFiles.Write(issued, files.Certificate, files.Key);
        }
        return files;
    }

    public void Dispose()
    {
        _authority.Dispose();
        Directory.Delete(_folder.Path, recursive: true);
    }
}
