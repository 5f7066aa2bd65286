namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /vms/{id}/stop: gracefully, or at once with force.</summary>
public sealed record StopVmRequest(bool Force);
