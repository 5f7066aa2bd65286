using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CloudBus.Security.Certificates;

namespace CloudBus.AgentClient;

/// <summary>
/// Accepts an agent only with the certificate of the host it is called as: issued by the local CA,
/// naming that host id. <see cref="HostNameHandler"/> makes the host id each connection's TLS
/// server name, which is how a handshake knows the host it is for, and keeps each host's
/// connections apart, so an answer as one host never arrives over a connection checked for another.
/// </summary>
public sealed class AgentIdentities(CertificateTrust? trust, bool allowPlainHttp, TimeProvider time)
{
    // Why the last handshake for each host id was refused, for the call's error message.
    private readonly ConcurrentDictionary<string, string> _refused = new(StringComparer.Ordinal);

    /// <summary>For <c>SocketsHttpHandler.SslOptions.RemoteCertificateValidationCallback</c>: the sender is the connection's <see cref="SslStream"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (trust is null || sender is not SslStream { TargetHostName: { Length: > 0 } hostId }) return false;
        string? problem;
        if (certificate is null) problem = "presented no certificate";
        else
        {
            using var presented = new X509Certificate2(certificate);
            problem = trust.Problem(presented, CertificateKind.Host, hostId, time.GetUtcNow());
        }
        if (problem is null) _refused.TryRemove(hostId, out _);
        else _refused[hostId] = problem;
        return problem is null;
    }

    /// <returns>Why <paramref name="address"/> may not be called at all (checked before sending), or null.</returns>
    public string? RefusedAddress(Uri address) => address.Scheme switch
    {
        "http" when !allowPlainHttp => $"{address} is plain http: agents are called over https only (AgentClient:AllowPlainHttp is for a simulated fleet)",
        "https" when trust is null => $"{address} is https, but this service has no AgentClient:CaFile to check the agent's certificate with",
        "http" or "https" => null,
        _ => $"{address} is neither http nor https",
    };

    /// <summary>Why the last handshake as <paramref name="hostId"/> was refused here, if it was (for the failure's message).</summary>
    public string? RefusedHandshake(string hostId) => _refused.TryGetValue(hostId, out var problem) ? problem : null;
}
