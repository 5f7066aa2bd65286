using System.Diagnostics.Metrics;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Telemetry;
using Dapper;
using Npgsql;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>
/// VMs by state (<see cref="VmState"/>), read from <c>vm_lifecycle.vms</c>, which this service
/// owns. Every instance reads the whole table, so a dashboard takes the max over instances.
/// </summary>
public sealed class VmStateGauge : IGaugeSource
{
    public static readonly MetricName Vms = new("cloudbus.vms", "{vm}", MetricKind.Gauge, "VMs by state");

    private readonly StateCounts _counts = new("state", Enum.GetNames<VmState>());

    public VmStateGauge(IMeterFactory meters) =>
        meters.Create("vm-lifecycle").CreateObservableGauge(Vms.Name, _counts.Observe, Vms.Unit, Vms.Description);

    public async Task RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        _counts.Update(await connection.QueryAsync<(string, long)>(new CommandDefinition(
            "SELECT state, count(*) FROM vm_lifecycle.vms GROUP BY state", cancellationToken: cancellationToken)));
}
