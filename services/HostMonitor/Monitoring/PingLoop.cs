using CloudBus.AgentClient;
using CloudBus.HostMonitor.Persistence;
using Microsoft.Extensions.Options;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// Pings every watched host once per interval, concurrently with bounded parallelism, each ping
/// with its own timeout, and feeds the result to the host's <see cref="HostHealthTracker"/>.
/// </summary>
public sealed partial class PingLoop(
    MonitoredHosts hosts,
    HostStatusStore store,
    HostAgentClient agents,
    HostStatusAnnouncer announcer,
    IOptions<HostMonitorOptions> options,
    TimeProvider clock,
    ILogger<PingLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var stored in await store.ListAsync(stoppingToken))
            hosts.TryAdd(new MonitoredHost(stored.HostId, stored.AgentAddress, stored.Cluster,
                new HostHealthTracker(options.Value.MissesBeforeSuspect, stored.Status)));

        using var timer = new PeriodicTimer(options.Value.PingInterval, clock);
        do
        {
            await PingAllAsync(stoppingToken);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public Task PingAllAsync(CancellationToken cancellationToken) =>
        HostFanOut.ForEachAsync(hosts.All, options.Value.MaxParallelCalls, PingAsync,
            (host, exception) => LogPingRoundFailed(host.HostId, exception.Message), cancellationToken);

    private async Task PingAsync(MonitoredHost host, CancellationToken cancellationToken)
    {
        HostHealthChange? change;
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.PingTimeout, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await agents.PingAsync(host.AgentAddress, host.HostId, linked.Token);
            lock (host) change = host.Tracker.RecordSuccess(clock.GetUtcNow());
        }
        catch (AgentUnavailableException failure) when (!cancellationToken.IsCancellationRequested)
        {
            lock (host) change = host.Tracker.RecordMiss(clock.GetUtcNow(), failure.Message);
        }

        if (change is not null)
            await announcer.AnnounceAsync(host, change, clock.GetUtcNow(), cancellationToken);
    }

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Ping of host {HostId} could not be processed: {Reason}")]
    private partial void LogPingRoundFailed(string hostId, string reason);
}
