using Npgsql;

namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>
/// A gauge whose values come from the service's own tables: <see cref="GaugeRefresher"/> reads them
/// every <see cref="MetricsOptions.GaugeRefreshInterval"/> on one connection, and the gauge reports
/// the last read when metrics are collected (collection is synchronous and must not wait on the database).
/// </summary>
public interface IGaugeSource
{
    Task RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken);
}
