using System.Text.Json.Serialization;

namespace CloudBus.Messages.Ha;

/// <summary>What an investigation concluded about a suspect host.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HostVerdict>))]
public enum HostVerdict
{
    /// <summary>The host answered directly, or its storage heartbeat still advances: only the management path is broken. Restart nothing.</summary>
    Alive,
    /// <summary>Its heartbeat is stale beyond its timeout on the neighbours that answered, and nothing reaches it. Fence, then restart.</summary>
    Down,
    /// <summary>Not enough neighbours answered, or they disagree. Alert and investigate again; never restart.</summary>
    Undetermined,
}
