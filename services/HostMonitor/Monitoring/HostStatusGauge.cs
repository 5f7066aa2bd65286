using System.Diagnostics.Metrics;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Telemetry;
using Dapper;
using Npgsql;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>
/// Hosts by status (<see cref="HostStatus"/>), read from <c>host_monitor.hosts</c>, the service's
/// record of every host it watches. Each instance reads the whole table (the instances share it),
/// so a dashboard takes the max over instances, not the sum.
/// </summary>
public sealed class HostStatusGauge : IGaugeSource
{
    public static readonly MetricName Hosts = new("cloudbus.hosts", "{host}", MetricKind.Gauge, "Hosts by status");

    private readonly StateCounts _counts = new("status", Enum.GetNames<HostStatus>());

    public HostStatusGauge(IMeterFactory meters) =>
        meters.Create("host-monitor").CreateObservableGauge(Hosts.Name, _counts.Observe, Hosts.Unit, Hosts.Description);

    public async Task RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        _counts.Update(await connection.QueryAsync<(string, long)>(new CommandDefinition(
            "SELECT status, count(*) FROM host_monitor.hosts GROUP BY status", cancellationToken: cancellationToken)));
}
