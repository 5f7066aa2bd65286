using CloudBus.HostMonitor.Monitoring;
using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Hosts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>
/// Every instance learns of a new host (each has its own queue for this event): the ring decides
/// which one watches it. Stored first (idempotently), so a restart still knows the host.
/// </summary>
public sealed class HostRegisteredConsumer(HostStatusStore store, MonitoredHosts hosts, IOptions<HostMonitorOptions> options)
    : IConsumer<HostRegistered>
{
    public async Task Consume(ConsumeContext<HostRegistered> context)
    {
        var host = context.Message;
        await store.AddAsync(host, context.CancellationToken);
        hosts.TryAdd(new MonitoredHost(host.HostId, [host.AgentAddress, .. host.AlternateAgentAddresses], host.Cluster, new HostHealthTracker(options.Value.MissesBeforeSuspect)));
    }
}
