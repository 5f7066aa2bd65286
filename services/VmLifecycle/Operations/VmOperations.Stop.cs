using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations;

public sealed partial class VmOperations
{
    /// <summary>Stops the VM gracefully, then by force if the graceful stop does not finish in time.</summary>
    public Task<VmOperationResult> StopAsync(Guid vmId, bool force, Guid? operationId, CancellationToken cancellationToken) =>
        RunAsync(vmId, force ? "forced stop" : "stop", operationId,
            operation => transitions.BeginAsync(operation, VmEvent.Stop, force ? "forced stop requested" : "stop requested", cancellationToken),
            (operation, vm) => StopOnHostAsync(operation, vm, force), cancellationToken);

    private async Task<VmOperationResult> StopOnHostAsync(VmOperation operation, VmRecord vm, bool force)
    {
        var host = (await hosts.GetAsync(vm.HostId!, CancellationToken.None))!;
        var stopped = await TryStopOnHostAsync(host, vm, force, force ? options.Value.AgentTimeout : options.Value.GracefulStopTimeout)
                      ?? (force ? null : await TryStopOnHostAsync(host, vm, force: true, options.Value.AgentTimeout));
        if (stopped is null)
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, $"stop on {host.HostId} failed",
                after => VmOperationResult.HostFailed(after, $"stop on {host.HostId} failed; the VM is still considered running there"));
        return await transitions.EndAsync(operation, VmEvent.StopSucceeded, $"stopped on {host.HostId}", after => VmOperationResult.Done(after));
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
