using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// One operation on one VM: its id (the caller's, which makes a repeat do nothing twice, or a new
/// one), what it is (start, stop, ...), and the instance running it.
/// </summary>
public sealed record VmOperation(Guid OperationId, Guid VmId, VmOperationKind Kind, string OperatingInstance);
