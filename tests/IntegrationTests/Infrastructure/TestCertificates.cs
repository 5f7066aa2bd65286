using CloudBus.Security.Certificates;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A local CA in a temporary folder, as <c>cloudbus certs</c> makes one (same code, in-process for
/// speed), with the settings that give an agent or a service its certificate.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(1);
    private readonly CertificateAuthority _authority;
    private readonly CertificateDirectory _folder;

    public TestCertificates()
    {
        _folder = new CertificateDirectory(Directory.CreateTempSubdirectory("cloudbus-certs-").FullName);
        _authority = CertificateAuthority.Create("CloudBus test CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(2));
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
