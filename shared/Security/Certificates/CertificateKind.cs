namespace CloudBus.Security.Certificates;

/// <summary>
/// Who a certificate of the local CA speaks for: a hypervisor host (its agent serves with it) or a
/// control-plane service (it calls agents with it). Written in the subject's organizational unit.
/// </summary>
public enum CertificateKind
{
    Host,
    Service,
}
