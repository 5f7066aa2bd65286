using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Storage;
using Microsoft.Extensions.Options;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// The agent of one real hypervisor host: VMs are transient libvirt domains named by the VM's id
/// (a stopped VM is simply gone, as the control plane's reports expect). A daemon that cannot be
/// reached makes every call <see cref="HostCallStatus.Unreachable"/>: the caller sees a failed
/// request and concludes nothing about the VMs.
/// </summary>
public sealed partial class LibvirtDriver(
    LibvirtConnection libvirt, HeartbeatStore storage, IOptions<LibvirtOptions> options, TimeProvider clock, ILogger<LibvirtDriver> logger)
    : IHypervisorDriver
{
    private static readonly TimeSpan StopPollInterval = TimeSpan.FromMilliseconds(100);
    private readonly LibvirtOptions _options = options.Value;
    private readonly Guid _bootId = BootId.Read(options.Value.BootIdFile);
    private string? _domainType;

    public string HostId => _options.HostId;

    public Task<HostCall<HostPing>> PingAsync(string hostId, CancellationToken cancellationToken) =>
        OnThisHostAsync(hostId, () =>
        {
            // The agent answers for the host: it must also reach libvirt, or the host cannot run VMs.
            libvirt.EnsureOpen();
            return new HostPing(HostId, _bootId, clock.GetUtcNow());
        });

    public Task<HostCall<HostVmReport>> ListVmsAsync(string hostId, CancellationToken cancellationToken) =>
        OnThisHostAsync(hostId, () => new HostVmReport(HostId, clock.GetUtcNow(), Report(libvirt.ListActiveDomains())));

    public Task<HostCall<StartVmResult>> StartVmAsync(string hostId, string vmId, VmSpec spec, CancellationToken cancellationToken) =>
        OnThisHostAsync(hostId, () =>
        {
            if (Running(vmId) is { } running)
            {
                return running.Incarnation == spec.Incarnation
                    ? new StartVmResult(StartVmOutcome.AlreadyRunning, vmId, running.Incarnation, null, DomainXml.Devices(libvirt.LiveXml(vmId)))
                    : new StartVmResult(StartVmOutcome.IncarnationConflict, vmId, running.Incarnation,
                        $"VM {vmId} already runs incarnation {running.Incarnation} on host {HostId}.");
            }
            try
            {
                libvirt.Create(DomainXml.For(vmId, spec, DomainType()));
            }
            catch (LibvirtException refused) when (refused is not LibvirtUnavailableException)
            {
                LogStartRefused(vmId, refused.Message);
                return new StartVmResult(StartVmOutcome.Refused, vmId, null, refused.Message);
            }
            LogStarted(vmId, spec.Incarnation);
            // Read back from the running domain: the devices libvirt gave it (names, addresses), not the ones asked for.
            return new StartVmResult(StartVmOutcome.Started, vmId, spec.Incarnation, null, DomainXml.Devices(libvirt.LiveXml(vmId)));
        });

    public async Task<HostCall<StopVmResult>> StopVmAsync(string hostId, string vmId, bool force, CancellationToken cancellationToken)
    {
        if (force) return await DestroyVmAsync(hostId, vmId, cancellationToken);
        var asked = await OnThisHostAsync(hostId, () => libvirt.Shutdown(vmId));
        if (asked.Status != HostCallStatus.Answered || !asked.Value) return Stopped(asked, vmId);

        // ACPI asks the guest; a guest that does not power off in time is destroyed.
        var deadline = clock.GetUtcNow() + _options.GracefulStopTimeout;
        while (clock.GetUtcNow() < deadline)
        {
            await Task.Delay(StopPollInterval, clock, cancellationToken);
            var gone = await OnThisHostAsync(hostId, () => libvirt.Find(vmId) is null);
            if (gone.Status != HostCallStatus.Answered) return Stopped(gone, vmId);
            if (gone.Value)
            {
                LogStopped(vmId, "shut down by its guest");
                return Stopped(gone, vmId);
            }
        }
        LogGracefulStopTimedOut(vmId, _options.GracefulStopTimeout);
        return await DestroyVmAsync(hostId, vmId, cancellationToken);
    }

    public Task<HostCall<StopVmResult>> DestroyVmAsync(string hostId, string vmId, CancellationToken cancellationToken) =>
        OnThisHostAsync(hostId, () =>
        {
            var destroyed = libvirt.Destroy(vmId);
            if (destroyed) LogStopped(vmId, "destroyed");
            return new StopVmResult(vmId, destroyed);
        });

    /// <summary>Reads a neighbour's heartbeat from the cluster's shared folder, as this host sees it.</summary>
    public Task<HostCall<NeighbourHeartbeat?>> ReadNeighbourHeartbeatAsync(string hostId, string otherHostId, CancellationToken cancellationToken) =>
        OnThisHostAsync(hostId, () =>
        {
            var now = clock.GetUtcNow();
            return storage.TryRead(otherHostId) is { } heartbeat
                ? heartbeat.ReadAt(now)
                : null;
        });

    /// <summary>
    /// Whether this host reaches the other host's agent over the hosts' own networks: a TCP connect
    /// to any of its addresses (all tried at once) within <see cref="LibvirtOptions.NeighbourPingTimeout"/>.
    /// Without an address the answer is unknown, which the control plane counts as neither reaching nor not.
    /// </summary>
    public async Task<HostCall<bool>> PingNeighbourAsync(string hostId, string otherHostId, IReadOnlyList<Uri> otherAddresses, CancellationToken cancellationToken)
    {
        if (!string.Equals(hostId, HostId, StringComparison.Ordinal) || otherAddresses.Count == 0)
            return new HostCall<bool>(HostCallStatus.UnknownHost, false, TimeSpan.Zero);
        var reached = await Task.WhenAll(otherAddresses.Select(address =>
            NeighbourReach.ConnectsAsync(address, _options.NeighbourPingTimeout, clock, cancellationToken)));
        return new HostCall<bool>(HostCallStatus.Answered, reached.Any(r => r), TimeSpan.Zero);
    }

    /// <summary>
    /// The VMs CloudBus started on this host (domains without its metadata are not its VMs), each
    /// with its devices from its live XML, so a device hot-plugged since the start is reported.
    /// </summary>
    private List<VmReport> Report(IEnumerable<DomainInfo> domains) =>
        [.. domains.Select(d => (Domain: d, Vm: DomainXml.Read(d.Metadata)))
            .Where(d => d.Vm is not null && d.Domain.State is not (DomainInfo.ShutOff or DomainInfo.Crashed))
            .Select(d => new VmReport(d.Vm!.VmId, PowerState(d.Domain.State), d.Vm.Incarnation, d.Vm.CpuCores, d.Vm.MemoryMib,
                DomainXml.Devices(libvirt.LiveXml(d.Domain.Name))))];

    private static VmPowerState PowerState(int state) =>
        state is DomainInfo.Paused or DomainInfo.PmSuspended ? VmPowerState.Paused : VmPowerState.Running;

    private DomainVm? Running(string vmId) =>
        libvirt.Find(vmId) is { State: not (DomainInfo.ShutOff or DomainInfo.Crashed) } domain ? DomainXml.Read(domain.Metadata) : null;

    private string DomainType() => _domainType ??= libvirt.DriverType() switch
    {
        "Test" => "test",
        _ when _options.DomainType.Length > 0 => _options.DomainType,
        // Ask libvirt: /dev/kvm may exist and still be unusable by the daemon (its mode, a nested VM).
        _ => libvirt.Supports("kvm") ? "kvm" : "qemu",
    };

    private static HostCall<StopVmResult> Stopped(HostCall<bool> call, string vmId) =>
        new(call.Status, new StopVmResult(vmId, call.Value), TimeSpan.Zero);

    /// <summary>Runs a libvirt call for this host; another host id is unknown here, an unreachable daemon is an unreachable host.</summary>
    private async Task<HostCall<T>> OnThisHostAsync<T>(string hostId, Func<T> call)
    {
        if (!string.Equals(hostId, HostId, StringComparison.Ordinal)) return new HostCall<T>(HostCallStatus.UnknownHost, default, TimeSpan.Zero);
        try
        {
            // libvirt's calls block on its socket: keep them off the request's thread.
            return new HostCall<T>(HostCallStatus.Answered, await Task.Run(call), TimeSpan.Zero);
        }
        catch (LibvirtUnavailableException unavailable)
        {
            LogUnavailable(unavailable.Message);
            return new HostCall<T>(HostCallStatus.Unreachable, default, TimeSpan.Zero);
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "VM {VmId} incarnation {Incarnation} started as a libvirt domain")]
    private partial void LogStarted(string vmId, long incarnation);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "libvirt refused to start VM {VmId}: {Reason}")]
    private partial void LogStartRefused(string vmId, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "VM {VmId} stopped: {How}")]
    private partial void LogStopped(string vmId, string how);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "VM {VmId} did not power off within {Timeout} of an ACPI shutdown: destroying it")]
    private partial void LogGracefulStopTimedOut(string vmId, TimeSpan timeout);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "libvirt cannot be reached: {Reason}")]
    private partial void LogUnavailable(string reason);
}
