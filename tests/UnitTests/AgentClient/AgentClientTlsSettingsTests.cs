using System.ComponentModel.DataAnnotations;
using CloudBus.AgentClient;
using CloudBus.Security.Certificates;

namespace CloudBus.UnitTests.AgentClient;

/// <summary>Which agent addresses a service calls at all, and the settings that decide it.</summary>
public sealed class AgentClientTlsSettingsTests
{
    private static readonly Uri Plain = new("http://10.0.0.7:7070/");
    private static readonly Uri Tls = new("https://10.0.0.7:7070/");

    [Fact]
    public void Plain_http_is_called_only_when_allowed_and_https_only_with_a_ca_to_check_against()
    {
        using var authority = CertificateAuthority.Create("test CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        var strict = new AgentIdentities(new CertificateTrust(authority.Certificate), allowPlainHttp: false, TimeProvider.System);
        var simulated = new AgentIdentities(null, allowPlainHttp: true, TimeProvider.System);

        Assert.Contains("plain http", strict.RefusedAddress(Plain), StringComparison.Ordinal);
        Assert.Null(strict.RefusedAddress(Tls));
        Assert.Null(simulated.RefusedAddress(Plain));
        Assert.Contains("no AgentClient:CaFile", simulated.RefusedAddress(Tls), StringComparison.Ordinal);
        Assert.Contains("neither http nor https", strict.RefusedAddress(new Uri("ftp://10.0.0.7/")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, null, null, null, "set CaFile, CertificateFile and KeyFile")]
    [InlineData(true, "/etc/cloudbus/ca.crt", null, null, "go together")]
    [InlineData(false, "/nonexistent/ca.crt", "/nonexistent/s.crt", "/nonexistent/s.key", "does not exist")]
    public void Settings_without_tls_or_plain_http_allowed_stop_the_service_and_say_what_to_set(
        bool allowPlainHttp, string? caFile, string? certificateFile, string? keyFile, string expected)
    {
        var options = new AgentClientOptions { AllowPlainHttp = allowPlainHttp, CaFile = caFile, CertificateFile = certificateFile, KeyFile = keyFile };

        var problem = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Contains(expected, problem.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_simulated_fleet_needs_only_plain_http_allowed() =>
        Assert.Empty(new AgentClientOptions { AllowPlainHttp = true }.Validate(new ValidationContext(new object())));
}
