using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

public sealed partial class VmOperations
{
    /// <summary>Destroys the VM: on its host if it has one (a forced stop that removes it), then for good.</summary>
    public Task<VmOperationResult> DestroyAsync(Guid vmId, Guid? operationId, CancellationToken cancellationToken) =>
        RunAsync(vmId, "destroy", operationId,
            operation => transitions.BeginAsync(operation, VmEvent.Destroy, "destroy requested", cancellationToken), DestroyOnHostAsync, cancellationToken);

    private async Task<VmOperationResult> DestroyOnHostAsync(VmOperation operation, VmRecord vm)
    {
        if (vm.HostId is { } hostId)
        {
            var host = (await hosts.GetAsync(hostId, CancellationToken.None))!;
            try
            {
                using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
                await agents.DestroyVmAsync(host.AgentAddress, host.HostId, vm.VmId.ToString(), timeout.Token);
            }
            catch (AgentUnavailableException failure)
            {
                LogDestroyFailed(vm.VmId, host.HostId, failure.Message);
                return await transitions.EndAsync(operation, VmEvent.OperationFailed, $"destroy on {host.HostId} failed: {failure.Message}",
                    after => VmOperationResult.HostFailed(after, $"destroy on {host.HostId} failed: {failure.Message}; the VM is Unknown until its host reports it"));
            }
        }
        return await transitions.EndAsync(operation, VmEvent.DestroySucceeded, "destroyed", after => VmOperationResult.Done(after));
    }

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "VM {VmId} destroy on host {HostId} failed: {Reason}")]
    private partial void LogDestroyFailed(Guid vmId, string hostId, string reason);
}
