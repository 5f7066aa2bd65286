using System.Diagnostics.Metrics;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Telemetry;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>Hosts by status (<see cref="HostStatus"/>), from <c>host_monitor.hosts</c>, the service's record of every host it watches.</summary>
public sealed class HostStatusGauge(IMeterFactory meters) : TableStateGauge(meters, "host-monitor", Hosts, "status", Enum.GetNames<HostStatus>(),
    "SELECT status, count(*) FROM host_monitor.hosts GROUP BY status")
{
    public static readonly MetricName Hosts = new("cloudbus.hosts", "{host}", MetricKind.Gauge, "Hosts by status");
}
