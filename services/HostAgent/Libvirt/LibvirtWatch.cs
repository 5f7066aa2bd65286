using CloudBus.HostAgent.Hypervisor;
using Microsoft.Extensions.Options;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// Keeps the agent connected to libvirt: reopens the connection when the daemon restarts (so
/// lifecycle events keep coming without waiting for a request), logs every lifecycle event of the
/// host's domains, and hands starts and stops to the control plane through the host's event log.
/// </summary>
public sealed partial class LibvirtWatch(
    LibvirtConnection libvirt, HostEventLog log, IOptions<LibvirtOptions> options, TimeProvider clock, ILogger<LibvirtWatch> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var events = LogEventsAsync(stoppingToken);
        var reachable = true;
        using var timer = new PeriodicTimer(ReconnectEvery, clock);
        do
        {
            try
            {
                await Task.Run(libvirt.EnsureOpen, stoppingToken);
                if (!reachable) LogReconnected(libvirt.Uri);
                reachable = true;
            }
            catch (LibvirtException failure)
            {
                if (reachable) LogUnreachable(failure, libvirt.Uri);
                reachable = false;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
        await events;
    }

    private async Task LogEventsAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in libvirt.Events.ReadAllAsync(stoppingToken))
        {
            var what = change.Describe();
            LogLifecycle(change.DomainName, what);
            if (change.Event == DomainLifecycleEvent.Started) log.Append(options.Value.HostId, change.DomainName, VmHostEventKind.Started, what);
            else if (change.Event == DomainLifecycleEvent.Stopped) log.Append(options.Value.HostId, change.DomainName, VmHostEventKind.Stopped, what);
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Domain {Domain} {What}")]
    private partial void LogLifecycle(string domain, string what);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Error, Message = "libvirt at {Uri} cannot be reached; retrying every second")]
    private partial void LogUnreachable(Exception exception, string uri);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Information, Message = "Connected to libvirt at {Uri} again")]
    private partial void LogReconnected(string uri);
}
