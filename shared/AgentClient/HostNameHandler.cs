namespace CloudBus.AgentClient;

/// <summary>
/// Names the host an https call is for in its Host header. SocketsHttpHandler takes that name as
/// the connection's TLS server name (so <see cref="AgentIdentities"/> knows which host's
/// certificate to expect) and as part of its connection pool's key (so a connection checked for
/// one host never carries another host's calls, even to the same address).
/// </summary>
public sealed class HostNameHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { Scheme: "https" } uri && HostOf(uri) is { } hostId) request.Headers.Host = hostId;
        return base.SendAsync(request, cancellationToken);
    }

    // Every agent route is /hosts/{hostId}/...: the host the call is made as.
    private static string? HostOf(Uri uri) =>
        uri.Segments is [_, "hosts/", var host, ..] ? Uri.UnescapeDataString(host.TrimEnd('/')) : null;
}
