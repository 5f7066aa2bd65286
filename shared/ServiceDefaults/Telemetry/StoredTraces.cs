using System.Diagnostics;

namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>
/// Work stored in Postgres and picked up later (a timer, a restart) keeps the trace that created
/// it: store <see cref="Current"/> with the work, and start the span that does it with
/// <see cref="StartContinuing"/>.
/// </summary>
public static class StoredTraces
{
    /// <summary>The current trace in W3C traceparent form, to store with the work; null when none.</summary>
    public static string? Current => Activity.Current?.Id;

    /// <summary>A span continuing the stored trace, or starting a new trace when none was stored.</summary>
    public static Activity? StartContinuing(this ActivitySource source, string name, string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? source.StartActivity(name, ActivityKind.Internal, parent)
            : source.StartActivity(name);
}
