using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CloudBus.Security.Certificates;
using MassTransit;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// AMQP over TLS to the broker (<see cref="RabbitMqOptions.UseTls"/>): TLS 1.2 or 1.3, the broker's
/// certificate valid for the expected name, issued by the configured CA (or a root the machine
/// trusts). Nothing about a certificate problem is waved through: the connection fails, and
/// MassTransit keeps retrying and logging why.
/// </summary>
public static class BrokerTls
{
    public static void Apply(IRabbitMqHostConfigurator rabbitHost, RabbitMqOptions options, string host)
    {
        var authority = string.IsNullOrEmpty(options.TlsCaFile) ? null : CertificateFiles.LoadPublic(options.TlsCaFile);
        rabbitHost.UseSsl(ssl =>
        {
            ssl.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
            ssl.ServerName = string.IsNullOrEmpty(options.TlsServerName) ? host : options.TlsServerName;
            if (authority is not null)
                ssl.CertificateValidationCallback = (_, certificate, _, errors) => IssuedByAuthority(certificate, errors, authority);
        });
    }

    private static bool IssuedByAuthority(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 authority)
    {
        // The name must match and a certificate must be there; the chain is checked against the
        // configured CA below, which the machine's store does not know (hence the chain error).
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
        using var presented = new X509Certificate2(certificate);
        return CertificateChains.IssuedBy(presented, authority, DateTimeOffset.UtcNow) is null;
    }
}
