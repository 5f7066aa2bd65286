using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Hosts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>Starts watching a newly registered host: stored first, so a restart keeps watching it.</summary>
public sealed class HostRegisteredConsumer(HostStatusStore store, MonitoredHosts hosts, IOptions<HostMonitorOptions> options)
    : IConsumer<HostRegistered>
{
    public async Task Consume(ConsumeContext<HostRegistered> context)
    {
        var host = context.Message;
        await store.AddAsync(host, context.CancellationToken);
        hosts.TryAdd(new MonitoredHost(host.HostId, host.AgentAddress, host.Cluster, new HostHealthTracker(options.Value.MissesBeforeSuspect)));
    }
}
