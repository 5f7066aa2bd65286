using System.Text.Json.Serialization;

namespace CloudBus.Messages.Ha;

/// <summary>
/// Where a host incident stands. While its investigation runs, the incident's status is the
/// investigation's state (the saga's states are named from this list); afterwards its restarts
/// settle it. Shown by <c>GET /incidents</c> by name.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentStatus>))]
public enum IncidentStatus
{
    /// <summary>Asking the host directly and its neighbours about its storage heartbeat.</summary>
    Investigating,
    /// <summary>Alive, but the control plane cannot reach it: nothing is restarted; looked at again now and then.</summary>
    Disconnected,
    /// <summary>No verdict (too few neighbours answered, they disagreed, or none came in time): investigated again later.</summary>
    Undetermined,
    /// <summary>Judged Down, but too much of its cluster is suspect at once: fencing waits for an operator's approval (the brake).</summary>
    AwaitingOperator,
    /// <summary>Judged Down: being powered off through its BMC, else waiting for proof it fenced itself.</summary>
    Fencing,
    /// <summary>No fencing step proved the host off: investigated again later; nothing is restarted.</summary>
    FencingFailed,
    /// <summary>Proven fenced; its VMs are released (marked Stopped). Final when none of them has HA.</summary>
    Fenced,
    /// <summary>Its HA-enabled VMs are being restarted on other hosts.</summary>
    Restarting,
    /// <summary>Final: every HA-enabled VM of the host runs again.</summary>
    Restarted,
    /// <summary>Final: some restarts failed or were quarantined; alerts say why.</summary>
    RestartsFailed,
    /// <summary>Final: the host answered again before it was fenced; nothing needed doing.</summary>
    Recovered,
}
