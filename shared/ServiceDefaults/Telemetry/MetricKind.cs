namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>The kinds of instrument CloudBus emits; each is named differently once exported to Prometheus.</summary>
public enum MetricKind
{
    Counter,
    Histogram,
    Gauge,
}
