using System.ComponentModel.DataAnnotations;

namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>How the service's gauges are read. Section <c>Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <value>
    /// How often the gauges read from the service's own tables (hosts and VMs by state, the outbox)
    /// are read again. Default 15 s, Prometheus's usual scrape interval: a scrape reads memory,
    /// never the database, however often and by however many scrapers it comes.
    /// </value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Metrics:GaugeRefreshInterval must be between 100 ms and 10 min.")]
    public TimeSpan GaugeRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);
}
