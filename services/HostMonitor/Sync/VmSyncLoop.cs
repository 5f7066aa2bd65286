using System.Collections.Concurrent;
using CloudBus.AgentClient;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Persistence;
using CloudBus.HostMonitor.Tracing;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;
using MassTransit;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using Microsoft.Extensions.Options;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// On an interval, asks every connected host this instance owns for its VMs, compares the answer with the VM view and
/// publishes the differences. Hosts that are not connected are left to the ping loop.
/// </summary>
public sealed partial class VmSyncLoop(
    HostOwnership ownership,
    TraceSkipService traceSkips,
    VmViewStore view,
    HostAgentClient agents,
    IBus bus,
    VmDeviceWatch devices,
    MonitorStats stats,
    IOptions<HostMonitorOptions> options,
    TimeProvider clock,
    ILogger<VmSyncLoop> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, VmSyncDiff> _diffs = new();
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _strangers = new();

    /// <summary>VMs found running on hosts where the control plane does not expect them, by host (last sync).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Strangers => _strangers.Where(s => s.Value.Count > 0).ToDictionary();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(options.Value.SyncInterval, clock, SyncRoundAsync, exception =>
        {
            LogRoundFailed(exception);
            return Task.CompletedTask;
        }, stoppingToken);

    private async Task SyncRoundAsync(CancellationToken cancellationToken)
    {
        var owned = ownership.Owned().Hosts;
        // A host regained later starts with fresh grace periods, not with times from before.
        foreach (var lost in _diffs.Keys.Except(owned.Select(h => h.HostId)).ToList())
        {
            _diffs.TryRemove(lost, out _);
            _strangers.TryRemove(lost, out _);
        }
        var connected = owned.Where(h => h.Status == HostStatus.Connected).ToList();
        var started = clock.GetTimestamp();
        var skipped = await traceSkips.ActiveSkipsAsync(cancellationToken);
        long compared = 0;
        // An unreachable host is the ping loop's business; the next round tries again.
        await HostFanOut.ForEachAsync(connected, options.Value.MaxParallelCalls,
            async (host, ct) => Interlocked.Add(ref compared, await SyncAsync(host, skipped, ct)),
            (host, exception) => LogSyncFailed(exception, host.HostId), cancellationToken);
        stats.SyncRound(connected.Count, compared, clock.GetElapsedTime(started));
    }

    /// <returns>How many VMs were compared (reported or expected on the host).</returns>
    private async Task<int> SyncAsync(MonitoredHost host, IReadOnlySet<Guid> skipped, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.SyncInterval, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var report = await agents.ListVmsAsync(host.AgentAddresses, host.HostId, linked.Token);
        var expected = await view.ForHostAsync(host.HostId, cancellationToken);
        var reported = report.Vms.Select(vm => new ReportedVm(vm.VmId, vm.PowerState, vm.Incarnation)).ToList();

        var diff = DiffOf(host.HostId);
        VmSyncResult result;
        // A round and an event may sync one host at once; the diff's memory is not thread-safe.
        lock (diff) result = diff.Compare(reported, expected, skipped, clock.GetUtcNow());
        _strangers[host.HostId] = result.Strangers;
        foreach (var stranger in result.Strangers)
            LogStranger(host.HostId, stranger);
        foreach (var message in result.Reports)
        {
            LogDrift(message.VmId, host.HostId, message.PowerState);
            await ConfirmWait.WithinAsync(ConfirmWait.DefaultLimit, clock, $"the drift report of VM {message.VmId}", token => bus.Publish(message, token), cancellationToken);
        }
        foreach (var change in devices.Changes(host.HostId, report.Vms, expected, clock.GetUtcNow()))
        {
            LogDevicesChanged(change.VmId, host.HostId, change.Devices);
            await ConfirmWait.WithinAsync(ConfirmWait.DefaultLimit, clock, $"the devices of VM {change.VmId}", token => bus.Publish(change, token), cancellationToken);
            devices.Published(change);
        }
        return reported.Select(r => r.VmId).Union(expected.Select(e => e.VmId.ToString())).Count();
    }

    /// <summary>
    /// The host says the VM stopped (its event): compare at once, without the grace period a mere
    /// absence gets, so HA hears of a crash in about a second instead of a grace period later.
    /// </summary>
    public async Task HostReportedStopAsync(string hostId, Guid vmId, CancellationToken cancellationToken)
    {
        if (ownership.Owned().Hosts.FirstOrDefault(h => h.HostId == hostId) is not { } host) return;
        var diff = DiffOf(hostId);
        lock (diff) diff.StoppedByHost(vmId);
        // A host not Connected right now is synced again by the round once it is; the mark waits.
        if (host.Status == HostStatus.Connected) await SyncAsync(host, await traceSkips.ActiveSkipsAsync(cancellationToken), cancellationToken);
    }

    private VmSyncDiff DiffOf(string hostId) => _diffs.GetOrAdd(hostId, id => new VmSyncDiff(id, options.Value.MissingGracePeriod));

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "VM {VmId} on host {HostId} reported {PowerState}, which VmLifecycle does not expect")]
    private partial void LogDrift(Guid vmId, string hostId, VmPowerState powerState);

    [LoggerMessage(EventId = 214, Level = LogLevel.Information, Message = "VM {VmId} on host {HostId} has devices {Devices}")]
    private partial void LogDevicesChanged(Guid vmId, string hostId, VmDevices devices);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Stranger VM {VmId} runs on host {HostId}: not expected there; left alone")]
    private partial void LogStranger(string hostId, string vmId);

    [LoggerMessage(EventId = 213, Level = LogLevel.Error, Message = "Sync round failed; trying again next interval")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(EventId = 212, Level = LogLevel.Debug, Message = "Sync of host {HostId} failed")]
    private partial void LogSyncFailed(Exception exception, string hostId);
}
