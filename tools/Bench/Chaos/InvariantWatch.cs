using System.Text.Json;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// Checks the invariants while the chaos runs, every second: no VM ever ran on two hosts at once
/// (the agent's audit of every run interval), and no incident went longer than its status allows
/// without a step (<see cref="HaSettings.StepBound"/>). Each breach is reported once, as it is seen.
/// </summary>
public sealed class InvariantWatch(ChaosStack stack, ChaosLog log)
{
    private readonly HashSet<Guid> _overdue = [];
    private int _doubleRuns;

    public int DoubleRuns => _doubleRuns;
    public int OverdueIncidents => _overdue.Count;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await CheckDoubleRunsAsync();
            }
            catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
            {
                log.Write($"the agent's audit did not answer ({failure.Message}); asking again"); // a stalled machine; the final check reads it all
            }
            await CheckIncidentsAsync(atTheEnd: false);
            await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The agent's audit: every pair of run intervals of one VM on two hosts that overlap.</summary>
    public async Task CheckDoubleRunsAsync()
    {
        var doubleRuns = await stack.BackDoorGetAsync<List<JsonElement>>("audit/double-runs");
        for (var i = _doubleRuns; i < doubleRuns.Count; i++) log.Write($"DOUBLE RUN: {doubleRuns[i]}");
        _doubleRuns = Math.Max(_doubleRuns, doubleRuns.Count);
    }

    /// <summary>
    /// Every unsettled incident against its bound; at the end, after the settle deadline, an
    /// incident still unsettled is overdue whatever its bound (every fault is healed by then).
    /// </summary>
    /// <returns>False when HaOrchestrator did not answer.</returns>
    public async Task<bool> CheckIncidentsAsync(bool atTheEnd)
    {
        try
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var listed in (await stack.GetAsync<List<IncidentView>>("HaOrchestrator", "incidents")).Where(i => i.Unsettled && !_overdue.Contains(i.IncidentId)))
            {
                var incident = await stack.GetAsync<IncidentView>("HaOrchestrator", $"incidents/{listed.IncidentId}");
                var lastStep = incident.Timeline.Select(s => s.At).DefaultIfEmpty(incident.SuspectedAt).Max();
                var bound = HaSettings.StepBound(incident.Status);
                if (!incident.Unsettled || (!atTheEnd && now - lastStep <= bound)) continue;
                _overdue.Add(incident.IncidentId);
                log.Write($"OVERDUE: incident {incident.IncidentId} of {incident.HostId} is {incident.Status}, "
                          + $"its last step ({(incident.Timeline.Count > 0 ? incident.Timeline[^1].Step : "none")}) {(now - lastStep).TotalSeconds:0}s ago"
                          + (atTheEnd ? ", still unsettled after every fault was healed" : $" (bound {bound?.TotalSeconds:0}s)"));
            }
            return true;
        }
        catch (HttpRequestException)
        {
            return false; // both instances away (killed, or the database failing over): look again next time
        }
    }
}
