using System.Collections.Concurrent;
using CloudBus.AgentClient;
using CloudBus.HostMonitor.Monitoring;
using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// Listens to the VM events of every connected host this instance owns (long polling each agent),
/// and on a VM's stop syncs that host at once: a crash reaches HA in about a second instead of a
/// sync interval plus a grace period. Events only hasten sync; a lost one costs time, not safety.
/// </summary>
public sealed partial class HostEventListener(
    HostOwnership ownership, VmSyncLoop sync, HostAgentClient agents, TimeProvider clock, ILogger<HostEventListener> logger) : BackgroundService
{
    /// <summary>How long an agent may hold a request waiting for an event.</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Reconcile = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _listening = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Reconcile, clock);
        try
        {
            do
            {
                var wanted = ownership.Owned().Hosts.Where(h => h.Status == HostStatus.Connected).ToDictionary(h => h.HostId);
                foreach (var (hostId, listener) in _listening)
                    if (!wanted.ContainsKey(hostId) && _listening.TryRemove(hostId, out _)) await listener.CancelAsync();
                foreach (var host in wanted.Values.Where(h => !_listening.ContainsKey(h.HostId)))
                {
                    var listener = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    if (_listening.TryAdd(host.HostId, listener)) _ = ListenAsync(host, listener);
                    else listener.Dispose();
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ListenAsync(MonitoredHost host, CancellationTokenSource listener)
    {
        using var _ = listener;
        var after = 0L;
        while (!listener.IsCancellationRequested)
        {
            try
            {
                var reply = await agents.WaitForEventsAsync(host.AgentAddresses, host.HostId, after, LongPoll, listener.Token);
                after = reply.Last;
                foreach (var stop in reply.Events.Where(e => e.IsStop))
                {
                    LogStopEvent(stop.VmId, host.HostId, stop.Detail);
                    if (Guid.TryParse(stop.VmId, out var vmId)) await sync.HostReportedStopAsync(host.HostId, vmId, listener.Token);
                }
            }
            catch (OperationCanceledException) when (listener.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // An agent that fails or a sync that fails: wait a moment and listen again; sync rounds go on regardless.
            catch (Exception failure)
#pragma warning restore CA1031
            {
                LogListenFailed(failure, host.HostId);
                try { await Task.Delay(Reconcile, clock, listener.Token); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(EventId = 214, Level = LogLevel.Information, Message = "VM {VmId} on host {HostId}: {Detail} (host event); syncing the host now")]
    private partial void LogStopEvent(string vmId, string hostId, string detail);

    [LoggerMessage(EventId = 215, Level = LogLevel.Debug, Message = "Listening to the events of host {HostId} failed; listening again shortly")]
    private partial void LogListenFailed(Exception exception, string hostId);
}
