namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /vms/{id}/stop: gracefully, or at once with force; an operation id makes a repeat a no-op.</summary>
public sealed record StopVmRequest(bool Force, Guid? OperationId);
