using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

public sealed partial class VmOperations
{
    /// <summary>Reboots the VM on its host: stopped and started again there, same run (incarnation).</summary>
    public Task<VmOperationResult> RebootAsync(Guid vmId, Guid? operationId, CancellationToken cancellationToken) =>
        TracedAsync(vmId, "reboot", operationId, async () =>
        {
            var rebooting = await transitions.ApplyAsync(vmId, VmEvent.Reboot, "reboot requested", cancellationToken: cancellationToken);
            if (rebooting.Outcome != VmOutcome.Done) return rebooting;
            var vm = rebooting.Vm!;
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
                await transitions.ApplyAsync(vm.VmId, VmEvent.OperationFailed, $"reboot on {host.HostId} failed: {failure.Message}",
                    vm.Incarnation, cancellationToken: CancellationToken.None);
                return VmOperationResult.HostFailed(vm, $"reboot on {host.HostId} failed: {failure.Message}");
            }
            return await transitions.ApplyAsync(vm.VmId, VmEvent.RebootSucceeded, $"rebooted on {host.HostId}", vm.Incarnation, cancellationToken: CancellationToken.None);
        }, cancellationToken);
}
