namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>
/// One of CloudBus's own metrics: its OpenTelemetry name and unit, and the name Prometheus sees
/// (the dashboard queries those). Each metrics class declares its names with this record, so the
/// dashboard's test and the scrape test check one list.
/// </summary>
/// <param name="Name">The OpenTelemetry name, dotted (<c>cloudbus.ha.detection.duration</c>).</param>
/// <param name="Unit">UCUM unit: <c>s</c> for durations, an annotation such as <c>{vm}</c> for counts.</param>
public sealed record MetricName(string Name, string Unit, MetricKind Kind, string Description)
{
    /// <summary>
    /// The name the OpenTelemetry Prometheus exporter gives it: dots become underscores, a unit
    /// that is not an annotation in braces is appended (<c>s</c> as <c>_seconds</c>), and counters
    /// end in <c>_total</c>. A histogram is queried through <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series of this name.
    /// </summary>
    public string Prometheus
    {
        get
        {
            var name = Name.Replace('.', '_');
            var unit = Unit switch
            {
                "s" => "seconds",
                "" or ['{', .., '}'] => "",
                _ => throw new InvalidOperationException($"No Prometheus suffix is known for unit '{Unit}' of {Name}."),
            };
            if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal)) name += "_" + unit;
            return Kind == MetricKind.Counter ? name + "_total" : name;
        }
    }
}
