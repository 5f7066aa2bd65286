using System.Diagnostics;

namespace CloudBus.HaOrchestrator;

/// <summary>HaOrchestrator's own spans (investigation steps, restarts), under the service's name so telemetry picks them up.</summary>
public static class HaTracing
{
    public static readonly ActivitySource Source = new("ha-orchestrator");

    /// <summary>A span continuing a trace stored earlier (an incident's), or a new trace when none was stored.</summary>
    public static Activity? StartContinuing(string name, string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : Source.StartActivity(name);
}
