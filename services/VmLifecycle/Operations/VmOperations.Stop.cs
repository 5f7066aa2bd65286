using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

public sealed partial class VmOperations
{
    private async Task<VmOperationResult> StopUntracedAsync(Guid vmId, bool force, CancellationToken cancellationToken)
    {
        var stopping = await transitions.ApplyAsync(vmId, VmEvent.Stop, force ? "forced stop requested" : "stop requested", cancellationToken: cancellationToken);
        if (stopping.Outcome != VmOutcome.Done) return stopping;
        // Once Stopping, the stop runs to its end even if the caller goes away.
        var vm = stopping.Vm!;
        var host = (await hosts.GetAsync(vm.HostId!, CancellationToken.None))!;

        var stopped = await TryStopOnHostAsync(host, vm, force, force ? options.Value.AgentTimeout : options.Value.GracefulStopTimeout)
                      ?? (force ? null : await TryStopOnHostAsync(host, vm, force: true, options.Value.AgentTimeout));
        if (stopped is null)
        {
            await transitions.ApplyAsync(vm.VmId, VmEvent.OperationFailed, $"stop on {host.HostId} failed", vm.Incarnation, cancellationToken: CancellationToken.None);
            return VmOperationResult.HostFailed(vm, $"stop on {host.HostId} failed; the VM is still considered running there");
        }

        return await transitions.ApplyAsync(vm.VmId, VmEvent.StopSucceeded, $"stopped on {host.HostId}", vm.Incarnation, cancellationToken: CancellationToken.None);
    }

    private async Task<AgentVmResult?> TryStopOnHostAsync(HostRecord host, VmRecord vm, bool force, TimeSpan timeout)
    {
        try
        {
            using var deadline = new CancellationTokenSource(timeout, clock);
            return await agents.StopVmAsync(host.AgentAddress, host.HostId, vm.VmId.ToString(), force, deadline.Token);
        }
        catch (AgentUnavailableException failure)
        {
            LogStopFailed(vm.VmId, host.HostId, force, failure.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "VM {VmId} stop on host {HostId} (force: {Force}) failed: {Reason}")]
    private partial void LogStopFailed(Guid vmId, string hostId, bool force, string reason);
}
