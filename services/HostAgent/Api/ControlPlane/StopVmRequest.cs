namespace CloudBus.HostAgent.Api.ControlPlane;

/// <summary>Optional body of <c>POST /hosts/{hostId}/vms/{vmId}/stop</c>; no body means a clean shutdown.</summary>
public sealed record StopVmRequest(bool Force = false);
