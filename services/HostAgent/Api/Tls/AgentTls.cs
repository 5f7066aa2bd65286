using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using CloudBus.HostAgent.Hypervisor;
using CloudBus.Security;
using CloudBus.Security.Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CloudBus.HostAgent.Api.Tls;

/// <summary>
/// The agent's side of mutual TLS: it serves https with its host's certificate and answers the
/// control-plane routes only to a caller presenting a control-plane service's certificate issued
/// by the same local CA (ASP.NET Core's certificate authentication). Health stays open, as on
/// every service; the simulated back door keeps its own plain loopback port.
/// </summary>
public static class AgentTls
{
    public const string Policy = "control-plane-service";

    /// <returns>Whether the control-plane routes need a service certificate.</returns>
    /// <exception cref="InvalidOperationException">The settings are incomplete, the files unusable, or a libvirt agent would serve plain http.</exception>
    public static bool Configure(WebApplicationBuilder builder, HostAgentDriver driver)
    {
        var options = builder.Configuration.GetSection(AgentTlsOptions.Section).Get<AgentTlsOptions>() ?? new AgentTlsOptions();
        if (!options.UsesTls)
        {
            if (driver == HostAgentDriver.Libvirt && !options.AllowPlainHttp)
                throw new InvalidOperationException("HostAgent:Tls: set CaFile, CertificateFile and KeyFile (cloudbus certs host ID writes them): "
                                                    + "without them anyone who reaches this host's agent port could start and destroy its VMs. "
                                                    + "HostAgent:Tls:AllowPlainHttp=true turns this off, for a test host only.");
            return false;
        }

        var (authority, own) = Load(options);
        // A libvirt agent serves one host: its certificate must be that host's, or the control plane would refuse every answer.
        if (driver == HostAgentDriver.Libvirt && builder.Configuration["HostAgent:HostId"] is { Length: > 0 } hostId
            && CertificateNames.Of(own) is { } named && named.Name != hostId)
            throw new InvalidOperationException($"HostAgent:Tls:CertificateFile is the certificate of host {named.Name}, but this agent serves host {hostId} (HostAgent:HostId).");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = own;
            // Kestrel asks for the caller's certificate; the authentication handler decides, so that
            // health answers without one and a refused caller gets an HTTP answer saying why.
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));
        builder.Services.AddAuthentication(CertificateAuthenticationDefaults.AuthenticationScheme)
            .AddCertificate(certificate =>
            {
                certificate.AllowedCertificateTypes = CertificateTypes.Chained;
                certificate.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                certificate.CustomTrustStore = [authority];
                // The local CA publishes no revocation lists: a compromised installation gets a new CA.
                certificate.RevocationMode = X509RevocationMode.NoCheck;
                certificate.Events = new CertificateAuthenticationEvents { OnCertificateValidated = AcceptServicesOnly };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser().RequireClaim(ClaimTypes.Role, "service"));
        return true;
    }

    private static Task AcceptServicesOnly(CertificateValidatedContext context)
    {
        if (CertificateNames.Of(context.ClientCertificate) is { Kind: CertificateKind.Service } service)
        {
            context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, service.Name), new Claim(ClaimTypes.Role, "service")], context.Scheme.Name));
            context.Success();
        }
        else context.Fail($"the certificate of {CertificateNames.Describe(context.ClientCertificate)} is not a control-plane service's");
        return Task.CompletedTask;
    }

    private static (X509Certificate2 Authority, X509Certificate2 Own) Load(AgentTlsOptions options)
    {
        if (options.CaFile is not { Length: > 0 } || options.CertificateFile is not { Length: > 0 } || options.KeyFile is not { Length: > 0 })
            throw new InvalidOperationException("HostAgent:Tls:CaFile, CertificateFile and KeyFile go together: set all three (cloudbus certs host ID writes them).");
        try
        {
            var authority = CertificateFiles.LoadPublic(options.CaFile);
            var own = CertificateFiles.LoadWithKey(options.CertificateFile, options.KeyFile);
            return CertificateNames.Of(own) is { Kind: CertificateKind.Host }
                ? (authority, own)
                : throw new InvalidOperationException($"HostAgent:Tls:CertificateFile is the certificate of {CertificateNames.Describe(own)}, not of a host (cloudbus certs host ID).");
        }
        catch (Exception exception) when (exception is CertificateFileException or SecretFileException or IOException)
        {
            throw new InvalidOperationException("HostAgent:Tls: " + exception.Message, exception);
        }
    }
}
