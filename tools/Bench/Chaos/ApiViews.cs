using CloudBus.Messages.Ha;

namespace CloudBus.Bench.Chaos;

/// <summary>An incident as HaOrchestrator's <c>GET /incidents</c> shows it (the timeline only from <c>GET /incidents/{id}</c>).</summary>
public sealed record IncidentView(
    Guid IncidentId, string HostId, IncidentStatus Status, DateTimeOffset SuspectedAt, DateTimeOffset? ClosedAt, IReadOnlyList<IncidentStepView> Timeline)
{
    /// <summary>
    /// Still to be settled: not closed yet, or closed with its VMs released but restarts still
    /// running (a fenced host's incident closes when its VMs are released, and stays Restarting
    /// until the last restart ends).
    /// </summary>
    public bool Unsettled => ClosedAt is null || Status == IncidentStatus.Restarting;
}

public sealed record IncidentStepView(DateTimeOffset At, string Step);

/// <summary>A stretch of time one VM ran on one host, from the agent's audit (<c>GET /audit/intervals</c>).</summary>
public sealed record RunInterval(string VmId, string HostId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? EndReason);

/// <summary>A VM as VmLifecycle's <c>GET /vms</c> shows it.</summary>
public sealed record VmView(Guid VmId, string State, string? HostId);

/// <summary>A host as VmLifecycle's <c>GET /hosts</c> shows it.</summary>
public sealed record HostView(string HostId, string Status);
