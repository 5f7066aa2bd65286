using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

public sealed partial class VmOperations
{
    /// <summary>Reboots the VM on its host: stopped and started again there, same run (incarnation).</summary>
    public Task<VmOperationResult> RebootAsync(Guid vmId, Guid? operationId, CancellationToken cancellationToken) =>
        RunAsync(vmId, "reboot", operationId,
            operation => transitions.BeginAsync(operation, VmEvent.Reboot, "reboot requested", cancellationToken), RebootOnHostAsync, cancellationToken);

    private async Task<VmOperationResult> RebootOnHostAsync(VmOperation operation, VmRecord vm)
    {
        var host = (await hosts.GetAsync(vm.HostId!, CancellationToken.None))!;
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
            await agents.StopVmAsync(host.AgentAddress, host.HostId, vm.VmId.ToString(), force: true, timeout.Token);
            await agents.StartVmAsync(host.AgentAddress, host.HostId, vm.VmId.ToString(),
                new AgentStartVm(vm.Incarnation, vm.CpuCores, vm.MemoryMib), timeout.Token);
        }
        catch (AgentUnavailableException failure)
        {
            // Still considered running there; if the host lost it, sync reports it stopped after the grace period.
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, $"reboot on {host.HostId} failed: {failure.Message}",
                after => VmOperationResult.HostFailed(after, $"reboot on {host.HostId} failed: {failure.Message}"));
        }
        return await transitions.EndAsync(operation, VmEvent.RebootSucceeded, $"rebooted on {host.HostId}", after => VmOperationResult.Done(after));
    }
}
