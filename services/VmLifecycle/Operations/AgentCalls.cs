using CloudBus.Messages.Vms;
using CloudBus.AgentClient;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using Microsoft.Extensions.Options;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// What VM operations ask of a host's agent, by host id, each call within its deadline
/// (<see cref="VmLifecycleOptions.AgentTimeout"/>; a graceful stop gets
/// <see cref="VmLifecycleOptions.GracefulStopTimeout"/>). A start, reboot or destroy the host
/// refuses or does not answer throws <see cref="AgentUnavailableException"/>; a stop answers
/// whether the VM stopped, because every caller goes on differently when it did not.
/// </summary>
public sealed partial class AgentCalls(HostStore hosts, VmDeviceStore devices, HostAgentClient agents, IOptions<VmLifecycleOptions> options, TimeProvider clock, ILogger<AgentCalls> logger)
{
    /// <summary>Starts the VM's current run (its incarnation) on <paramref name="hostId"/>, with its disks and NICs.</summary>
    /// <returns>The devices the host says the running VM has (null from an agent that does not say).</returns>
    public async Task<VmDevices?> StartAsync(string hostId, VmRecord vm)
    {
        var host = await HostAsync(hostId);
        var start = await StartRequestAsync(vm);
        using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
        return (await agents.StartVmAsync(host.AgentAddresses, host.HostId, vm.VmId.ToString(), start, timeout.Token)).Devices;
    }

    /// <summary>Stops the VM by force and starts the same run again, both within one agent timeout.</summary>
    /// <returns>The devices the host says the restarted VM has.</returns>
    public async Task<VmDevices?> RebootAsync(string hostId, VmRecord vm)
    {
        var host = await HostAsync(hostId);
        var start = await StartRequestAsync(vm);
        using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
        await agents.StopVmAsync(host.AgentAddresses, host.HostId, vm.VmId.ToString(), force: true, timeout.Token);
        return (await agents.StartVmAsync(host.AgentAddresses, host.HostId, vm.VmId.ToString(), start, timeout.Token)).Devices;
    }

    private async Task<AgentStartVm> StartRequestAsync(VmRecord vm)
    {
        var hardware = await devices.HardwareAsync(vm.VmId, CancellationToken.None);
        return new AgentStartVm(vm.Incarnation, vm.CpuCores, vm.MemoryMib,
            hardware.Disks.Count > 0 ? hardware.Disks : null, hardware.Nics.Count > 0 ? hardware.Nics : null);
    }

    /// <summary>Removes the VM from its host (a forced stop that removes it).</summary>
    public async Task DestroyAsync(string hostId, VmRecord vm)
    {
        var host = await HostAsync(hostId);
        using var timeout = new CancellationTokenSource(options.Value.AgentTimeout, clock);
        await agents.DestroyVmAsync(host.AgentAddresses, host.HostId, vm.VmId.ToString(), timeout.Token);
    }

    /// <summary>Stops the VM gracefully, then by force if the graceful stop does not finish in time; with <paramref name="force"/>, by force at once.</summary>
    /// <returns>Whether the host stopped it (a failure is logged).</returns>
    public async Task<bool> StopAsync(string hostId, VmRecord vm, bool force)
    {
        var host = await HostAsync(hostId);
        return await TryStopAsync(host, vm, force, force ? options.Value.AgentTimeout : options.Value.GracefulStopTimeout)
               || (!force && await TryStopAsync(host, vm, force: true, options.Value.AgentTimeout));
    }

    private async Task<bool> TryStopAsync(HostRecord host, VmRecord vm, bool force, TimeSpan timeout)
    {
        try
        {
            using var deadline = new CancellationTokenSource(timeout, clock);
            await agents.StopVmAsync(host.AgentAddresses, host.HostId, vm.VmId.ToString(), force, deadline.Token);
            return true;
        }
        catch (AgentUnavailableException failure)
        {
            LogStopFailed(failure, vm.VmId, host.HostId, force);
            return false;
        }
    }

    // A VM's host (or a migration's target) is a registered host, and hosts are never removed.
    private async Task<HostRecord> HostAsync(string hostId) => (await hosts.GetAsync(hostId, CancellationToken.None))!;

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "VM {VmId} stop on host {HostId} (force: {Force}) failed")]
    private partial void LogStopFailed(Exception exception, Guid vmId, string hostId, bool force);
}
