namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /vms/{id}/start: optionally on a chosen host.</summary>
public sealed record StartVmRequest(string? HostId);

