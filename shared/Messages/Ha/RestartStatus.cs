using System.Text.Json.Serialization;

namespace CloudBus.Messages.Ha;

/// <summary>Where a restart of one VM stands (<c>GET /restarts</c> shows it by name).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestartStatus>))]
public enum RestartStatus
{
    /// <summary>Waiting for its turn (higher priorities go first).</summary>
    Pending,
    /// <summary>An instance is starting the VM; another takes over if its lease runs out.</summary>
    Starting,
    /// <summary>The last attempt failed; tried again at the next attempt time.</summary>
    Retrying,
    /// <summary>The VM runs again.</summary>
    Running,
    /// <summary>Every attempt failed; an alert says why.</summary>
    Failed,
    /// <summary>The VM needed too many restarts lately; HA leaves it for an operator.</summary>
    Quarantined,
    /// <summary>Nothing left to do: the VM was destroyed, removed, or started by someone else.</summary>
    Superseded,
}
