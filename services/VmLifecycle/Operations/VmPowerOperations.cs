using CloudBus.Messages.Vms;
using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Placement;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>Starting, stopping and rebooting a VM, each run as <see cref="OperationRunner"/> describes.</summary>
public sealed partial class VmPowerOperations(
    OperationRunner runner, VmTransitions transitions, AgentCalls agents, VmDeviceRecorder devices, ILogger<VmPowerOperations> logger)
{
    /// <summary>Places the VM (on <paramref name="hostId"/> if given), reserves capacity, and starts it there.</summary>
    public Task<VmOperationResult> StartAsync(Guid vmId, string? hostId, Guid? operationId, CancellationToken cancellationToken) =>
        StartAsync(vmId, new PlacementRequest { CpuCores = 0, MemoryMib = 0, RequiredHostId = hostId }, operationId, cancellationToken);

    /// <summary>Places the VM as <paramref name="placement"/> asks (its sizes come from the VM), and starts it.</summary>
    public Task<VmOperationResult> StartAsync(Guid vmId, PlacementRequest placement, Guid? operationId, CancellationToken cancellationToken) =>
        runner.RunAsync(vmId, VmOperationKind.Start, operationId, operation => transitions.BeginStartAsync(operation, placement, cancellationToken), StartOnHostAsync, cancellationToken);

    /// <summary>Stops the VM gracefully, then by force if the graceful stop does not finish in time.</summary>
    public Task<VmOperationResult> StopAsync(Guid vmId, bool force, Guid? operationId, CancellationToken cancellationToken) =>
        runner.RunAsync(vmId, force ? VmOperationKind.ForcedStop : VmOperationKind.Stop, operationId,
            operation => transitions.BeginAsync(operation, VmEvent.Stop, force ? "forced stop requested" : "stop requested", cancellationToken),
            (operation, vm) => StopOnHostAsync(operation, vm, force), cancellationToken);

    /// <summary>Reboots the VM on its host: stopped and started again there, same run (incarnation).</summary>
    public Task<VmOperationResult> RebootAsync(Guid vmId, Guid? operationId, CancellationToken cancellationToken) =>
        runner.RunAsync(vmId, VmOperationKind.Reboot, operationId,
            operation => transitions.BeginAsync(operation, VmEvent.Reboot, "reboot requested", cancellationToken), RebootOnHostAsync, cancellationToken);

    private async Task<VmOperationResult> StartOnHostAsync(VmOperation operation, VmRecord vm)
    {
        var hostId = vm.HostId!;
        VmDevices? started;
        try
        {
            started = await agents.StartAsync(hostId, vm);
        }
        catch (AgentUnavailableException failure)
        {
            LogStartFailed(failure, vm.VmId, hostId);
            // A refusal means the VM is not running there; no answer means it may be (Unknown until sync tells).
            var outcome = failure.IsRefusal ? VmEvent.StartFailed : VmEvent.StartUnanswered;
            return await transitions.EndAsync(operation, outcome, failure.Message,
                after => VmOperationResult.HostFailed(after, $"start on {hostId} failed: {failure.Message}"));
        }

        LogStarted(vm.VmId, hostId, vm.Incarnation);
        var result = await transitions.EndAsync(operation, VmEvent.StartSucceeded, $"started on {hostId}", after => VmOperationResult.Done(after));
        await devices.AfterStartAsync(vm, hostId, started, DeviceReportSource.Start);
        return result;
    }

    private async Task<VmOperationResult> StopOnHostAsync(VmOperation operation, VmRecord vm, bool force)
    {
        var hostId = vm.HostId!;
        if (!await agents.StopAsync(hostId, vm, force))
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, $"stop on {hostId} failed",
                after => VmOperationResult.HostFailed(after, $"stop on {hostId} failed; the VM is still considered running there"));
        return await transitions.EndAsync(operation, VmEvent.StopSucceeded, $"stopped on {hostId}", after => VmOperationResult.Done(after));
    }

    private async Task<VmOperationResult> RebootOnHostAsync(VmOperation operation, VmRecord vm)
    {
        var hostId = vm.HostId!;
        VmDevices? rebooted;
        try
        {
            rebooted = await agents.RebootAsync(hostId, vm);
        }
        catch (AgentUnavailableException failure)
        {
            // Still considered running there; if the host lost it, sync reports it stopped after the grace period.
            return await transitions.EndAsync(operation, VmEvent.OperationFailed, $"reboot on {hostId} failed: {failure.Message}",
                after => VmOperationResult.HostFailed(after, $"reboot on {hostId} failed: {failure.Message}"));
        }
        var result = await transitions.EndAsync(operation, VmEvent.RebootSucceeded, $"rebooted on {hostId}", after => VmOperationResult.Done(after));
        await devices.AfterStartAsync(vm, hostId, rebooted, DeviceReportSource.Reboot);
        return result;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "VM {VmId} started on host {HostId} (incarnation {Incarnation})")]
    private partial void LogStarted(Guid vmId, string hostId, long incarnation);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "VM {VmId} failed to start on host {HostId}")]
    private partial void LogStartFailed(Exception exception, Guid vmId, string hostId);
}
