namespace CloudBus.HostAgent.Api.Tls;

/// <summary>
/// Mutual TLS on the agent's control-plane port, section <c>HostAgent:Tls</c>
/// (environment: <c>HostAgent__Tls__CertificateFile=/etc/cloudbus/host-kvm-07.crt</c>).
/// </summary>
public sealed class AgentTlsOptions
{
    public const string Section = "HostAgent:Tls";

    /// <value>The local CA's certificate: only services with a certificate it issued may call.</value>
    public string? CaFile { get; set; }

    /// <value>This host's certificate (<c>cloudbus certs host ID</c>), served to the control plane.</value>
    public string? CertificateFile { get; set; }

    /// <value>The key of <see cref="CertificateFile"/> (mode 600).</value>
    public string? KeyFile { get; set; }

    /// <value>
    /// Whether a libvirt agent may serve plain http without TLS, so that anyone who reaches its port
    /// can start and destroy its VMs. Default false. A simulated fleet always may.
    /// </value>
    public bool AllowPlainHttp { get; set; }

    public bool UsesTls => CaFile is { Length: > 0 } || CertificateFile is { Length: > 0 } || KeyFile is { Length: > 0 };
}
