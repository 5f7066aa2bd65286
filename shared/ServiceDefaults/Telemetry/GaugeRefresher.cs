using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>
/// Reads every <see cref="IGaugeSource"/> of the service, one round per
/// <see cref="MetricsOptions.GaugeRefreshInterval"/>, on one connection. Resolving the sources here
/// at start is also what creates their gauges. A failed round (database away) keeps the last values
/// and is logged; the next round tries again.
/// </summary>
internal sealed partial class GaugeRefresher(
    IEnumerable<IGaugeSource> sources, NpgsqlDataSource dataSource, IOptions<MetricsOptions> options, TimeProvider clock,
    ILogger<GaugeRefresher> logger) : BackgroundService
{
    private readonly IGaugeSource[] _sources = sources.ToArray();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(options.Value.GaugeRefreshInterval, clock, RefreshAsync, exception =>
        {
            LogRefreshFailed(exception);
            return Task.CompletedTask;
        }, stoppingToken);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var source in _sources) await source.RefreshAsync(connection, cancellationToken);
    }

    [LoggerMessage(EventId = 90, Level = LogLevel.Warning, Message = "Could not read the gauges from the database; they keep their last values")]
    private partial void LogRefreshFailed(Exception exception);
}
