namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /vms/{id}/migrate: to a chosen host, or wherever placement finds room; an operation id makes a repeat a no-op.</summary>
public sealed record MigrateVmRequest(string? TargetHostId, Guid? OperationId);
