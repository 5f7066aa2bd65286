using CloudBus.Messages.Vms;
using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>Destroys a VM, run as <see cref="OperationRunner"/> describes: on its host if it has one, then for good.</summary>
public sealed partial class VmDestruction(OperationRunner runner, VmTransitions transitions, AgentCalls agents, ILogger<VmDestruction> logger)
{
    public Task<VmOperationResult> DestroyAsync(Guid vmId, Guid? operationId, CancellationToken cancellationToken) =>
        runner.RunAsync(vmId, VmOperationKind.Destroy, operationId,
            operation => transitions.BeginAsync(operation, VmEvent.Destroy, "destroy requested", cancellationToken), DestroyOnHostAsync, cancellationToken);

    private async Task<VmOperationResult> DestroyOnHostAsync(VmOperation operation, VmRecord vm)
    {
        if (vm.HostId is { } hostId)
        {
            try
            {
                await agents.DestroyAsync(hostId, vm);
            }
            catch (AgentUnavailableException failure)
            {
                LogDestroyFailed(failure, vm.VmId, hostId);
                return await transitions.EndAsync(operation, VmEvent.OperationFailed, $"destroy on {hostId} failed: {failure.Message}",
                    after => VmOperationResult.HostFailed(after, $"destroy on {hostId} failed: {failure.Message}; the VM is Unknown until its host reports it"));
            }
        }
        return await transitions.EndAsync(operation, VmEvent.DestroySucceeded, "destroyed", after => VmOperationResult.Done(after));
    }

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "VM {VmId} destroy on host {HostId} failed")]
    private partial void LogDestroyFailed(Exception exception, Guid vmId, string hostId);
}
