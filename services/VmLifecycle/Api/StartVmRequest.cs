namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /vms/{id}/start: optionally on a chosen host; an operation id makes a repeat a no-op.</summary>
public sealed record StartVmRequest(string? HostId, Guid? OperationId);
