using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api.ControlPlane;

/// <summary>The events of <c>GET /hosts/{hostId}/events</c>, and the sequence number to ask after next.</summary>
public sealed record HostEventsReply(IReadOnlyList<VmHostEvent> Events, long Last);
