using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

public sealed partial class VmOperations
{
    /// <summary>Destroys the VM: on its host if it has one (a forced stop that removes it), then for good.</summary>
    public Task<VmOperationResult> DestroyAsync(Guid vmId, Guid? operationId, CancellationToken cancellationToken) =>
        TracedAsync(vmId, "destroy", operationId, async () =>
        {
            var destroying = await transitions.ApplyAsync(vmId, VmEvent.Destroy, "destroy requested", cancellationToken: cancellationToken);
            if (destroying.Outcome != VmOutcome.Done) return destroying;
            var vm = destroying.Vm!;
            if (vm.HostId is { } hostId)
            {
                var host = (await hosts.GetAsync(hostId, CancellationToken.None))!;
                try
                {
                    using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
                    await agents.DestroyVmAsync(host.AgentAddress, host.HostId, vm.VmId.ToString(), timeout.Token);
                }
                catch (CloudBus.AgentClient.AgentUnavailableException failure)
                {
                    LogDestroyFailed(vm.VmId, host.HostId, failure.Message);
                    var failed = await transitions.ApplyAsync(vm.VmId, VmEvent.OperationFailed, $"destroy on {host.HostId} failed: {failure.Message}",
                        vm.Incarnation, cancellationToken: CancellationToken.None);
                    return VmOperationResult.HostFailed(failed.Vm ?? vm, $"destroy on {host.HostId} failed: {failure.Message}; the VM is Unknown until its host reports it");
                }
            }
            return await transitions.ApplyAsync(vm.VmId, VmEvent.DestroySucceeded, "destroyed", vm.Incarnation, cancellationToken: CancellationToken.None);
        }, cancellationToken);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "VM {VmId} destroy on host {HostId} failed: {Reason}")]
    private partial void LogDestroyFailed(Guid vmId, string hostId, string reason);
}
