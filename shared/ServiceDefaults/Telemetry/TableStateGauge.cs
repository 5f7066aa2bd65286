using System.Diagnostics.Metrics;
using Dapper;
using Npgsql;

namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>
/// A gauge of rows by state in one of the service's tables (hosts by status, VMs by state): the
/// count-by-state query (state, count) is run by <see cref="GaugeRefresher"/>, and
/// the last counts are reported with the state as a tag. Every instance of a
/// service reads the whole table (the instances share it), so a dashboard takes the max over
/// instances, not the sum.
/// </summary>
public abstract class TableStateGauge : IGaugeSource
{
    private readonly StateCounts _counts;
    private readonly string _countByState;

    protected TableStateGauge(IMeterFactory meters, string meterName, MetricName metric, string tag, IEnumerable<string> knownStates, string countByState)
    {
        _counts = new StateCounts(tag, knownStates);
        _countByState = countByState;
        meters.Create(meterName).CreateObservableGauge(metric.Name, _counts.Observe, metric.Unit, metric.Description);
    }

    public async Task RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        _counts.Update(await connection.QueryAsync<(string, long)>(new CommandDefinition(_countByState, cancellationToken: cancellationToken)));
}
