namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /vms/{id}/reboot and /destroy: an optional operation id makes a repeat a no-op.</summary>
public sealed record OperationRequest(Guid? OperationId);
