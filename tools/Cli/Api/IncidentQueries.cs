using CloudBus.HaOrchestrator.Incidents;

namespace CloudBus.Cli.Api;

/// <summary>Questions about incidents answered from the client's calls (not calls of their own).</summary>
internal static class IncidentQueries
{
    /// <summary>The host's most recently suspected incident, if it has had one.</summary>
    public static async Task<Incident?> NewestIncidentAsync(this ControlPlaneClient api, string hostId, CancellationToken ct) =>
        await api.LatestIncidentsAsync(hostId, 1, ct) is [var newest, ..] ? newest : null;
}
