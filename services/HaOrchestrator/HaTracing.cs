using System.Diagnostics;

namespace CloudBus.HaOrchestrator;

/// <summary>HaOrchestrator's own spans (investigation steps, restarts), under the service's name so telemetry picks them up.</summary>
public static class HaTracing
{
    public static readonly ActivitySource Source = new("ha-orchestrator");
}
