using CloudBus.Security.Certificates;

namespace CloudBus.UnitTests.Security;

/// <summary>What the local CA's certificates are trusted for: exactly what they name, and only from that CA.</summary>
public sealed class CertificateTrustTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _authority = CertificateAuthority.Create("test CA", Now, TimeSpan.FromDays(365));
    private readonly CertificateTrust _trust;

    public CertificateTrustTests() => _trust = new CertificateTrust(_authority.Certificate);

    public void Dispose() => _authority.Dispose();

    [Fact]
    public void A_host_certificate_is_trusted_as_that_host_and_no_other()
    {
        using var host1 = _authority.IssueHost("host-1", ["10.0.0.1", "kvm-1.example"], Now, TimeSpan.FromDays(30));

        Assert.Null(_trust.Problem(host1, CertificateKind.Host, "host-1", Now));
        Assert.Null(_trust.Problem(host1, CertificateKind.Host, null, Now));
        Assert.Equal("the certificate of host host-1 was presented where host host-2's is needed",
            _trust.Problem(host1, CertificateKind.Host, "host-2", Now));
        Assert.Equal("the certificate of host host-1 was presented where a control-plane service's is needed",
            _trust.Problem(host1, CertificateKind.Service, null, Now));
    }

    [Fact]
    public void A_service_certificate_is_no_hosts()
    {
        using var service = _authority.IssueService("HostMonitor", Now, TimeSpan.FromDays(30));

        Assert.Equal((CertificateKind.Service, "HostMonitor"), CertificateNames.Of(service));
        Assert.Null(_trust.Problem(service, CertificateKind.Service, null, Now));
        Assert.Equal("the certificate of service HostMonitor was presented where host host-1's is needed",
            _trust.Problem(service, CertificateKind.Host, "host-1", Now));
    }

    [Fact]
    public void A_certificate_of_another_ca_or_out_of_its_validity_is_refused()
    {
        using var other = CertificateAuthority.Create("another CA", Now, TimeSpan.FromDays(365));
        using var foreign = other.IssueHost("host-1", [], Now, TimeSpan.FromDays(30));
        using var ours = _authority.IssueHost("host-1", [], Now, TimeSpan.FromDays(30));

        Assert.StartsWith("the certificate host host-1 is not one of this CloudBus CA's", _trust.Problem(foreign, CertificateKind.Host, "host-1", Now));
        Assert.StartsWith("the certificate host host-1 is not one of this CloudBus CA's", _trust.Problem(ours, CertificateKind.Host, "host-1", Now.AddDays(31)));
    }

    [Fact]
    public void Files_round_trip_and_a_key_others_may_read_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("cloudbus-cert-test-").FullName;
        try
        {
            using var issued = _authority.IssueHost("host-1", [], Now, TimeSpan.FromDays(30));
            var (certificate, key) = new CertificateDirectory(folder).Of(CertificateKind.Host, "host-1");
            CertificateFiles.Write(issued, certificate, key);

            using var loaded = CertificateFiles.LoadWithKey(certificate, key);
            Assert.True(loaded.HasPrivateKey);
            Assert.Null(_trust.Problem(loaded, CertificateKind.Host, "host-1", Now));
            Assert.Throws<IOException>(() => CertificateFiles.Write(issued, certificate, key));

            if (OperatingSystem.IsWindows()) return;
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var loose = Assert.Throws<CertificateFileException>(() => CertificateFiles.LoadWithKey(certificate, key));
            Assert.Contains("may be read by other users", loose.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
