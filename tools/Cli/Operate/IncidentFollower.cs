using CloudBus.Cli.Api;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.Messages.Ha;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>cloudbus incident show --watch</c>: follows an incident while HA works on it, printing each
/// step of its timeline as it is written (time from the suspicion, step, detail, evidence) and its
/// status when it changes, until it is over (closed, and its restarts done). With <c>--host</c> it follows that host's
/// open incident, or waits for its next one: what an operator runs right after a host fails.
/// </summary>
internal sealed class IncidentFollower(ControlPlaneClient api, Output output)
{
    private Incident? _followed;
    private int _stepsShown;
    private string? _statusShown;
    private Guid? _overAtStart;
    private bool _startSaid;

    public async Task FollowAsync(Guid? incidentId, string? hostId, TimeSpan timeout, CancellationToken ct)
    {
        await Watching.RunAsync(
            async token => incidentId is { } id ? await api.IncidentAsync(id, token) : await CurrentOfHostAsync(hostId!, token),
            Show, timeout, incidentId is { } known ? $"the end of incident {known}" : $"the end of an incident of {hostId}", ct);
        if (output.IsJson && _followed is not null) output.Write(_followed, _ => { });
    }

    /// <summary>The host's incident in progress; null while there is none newer than the one over when the watch began.</summary>
    private async Task<Incident?> CurrentOfHostAsync(string hostId, CancellationToken ct)
    {
        if (_followed is not null) return await api.IncidentAsync(_followed.IncidentId, ct);
        var newest = await api.NewestIncidentAsync(hostId, ct);
        if (!_startSaid)
        {
            _startSaid = true;
            _overAtStart = newest is not null && IsOver(newest) ? newest.IncidentId : null;
            if (newest is null || _overAtStart is not null)
                Console.Error.WriteLine($"waiting for an incident of {hostId}" + (newest is null ? "" : $" (its last, {newest.IncidentId}, ended {newest.Status})"));
        }

        return newest is null || newest.IncidentId == _overAtStart ? null : await api.IncidentAsync(newest.IncidentId, ct);
    }

    /// <returns>True once the incident is closed.</returns>
    private bool Show(Incident? incident)
    {
        if (incident is null) return false;
        if (_followed is null && !output.IsJson)
            Console.Out.WriteLine($"incident {incident.IncidentId} of {incident.HostId}, suspected {Output.Time(incident.SuspectedAt)}");
        _followed = incident;
        if (output.IsJson) return IsOver(incident);

        foreach (var step in incident.Timeline.Skip(_stepsShown))
        {
            Console.Out.WriteLine($"  +{Output.Seconds(step.At - incident.SuspectedAt),8}  {step.Step}: {step.Detail}");
            foreach (var evidence in step.Evidence) Console.Out.WriteLine($"              {evidence}");
        }

        _stepsShown = incident.Timeline.Count;
        var status = incident.Verdict is { } verdict ? $"{incident.Status} (verdict {verdict})" : incident.Status.ToString();
        if (status != _statusShown) Console.Error.WriteLine($"  status: {status}");
        _statusShown = status;
        if (!IsOver(incident)) return false;
        var last = incident.Timeline.Count > 0 ? incident.Timeline[^1].At : incident.ClosedAt!.Value;
        Console.Out.WriteLine($"ended {incident.Status}, {Output.Seconds(last - incident.SuspectedAt)} after the suspicion");
        return true;
    }

    /// <summary>
    /// Nothing more will happen: the investigation is closed (ClosedAt is set once the host's VMs
    /// are released) and, if it led to restarts, they are over too.
    /// </summary>
    private static bool IsOver(Incident incident) => incident.ClosedAt is not null && incident.Status != IncidentStatus.Restarting;
}
