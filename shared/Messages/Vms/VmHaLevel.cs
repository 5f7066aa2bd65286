using System.Text.Json.Serialization;

namespace CloudBus.Messages.Vms;

/// <summary>What HA does for a VM.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VmHaLevel>))]
public enum VmHaLevel
{
    /// <summary>Never restarted automatically.</summary>
    None,
    /// <summary>Restarted elsewhere when its host fails.</summary>
    OnHostFailure,
    /// <summary>Also restarted when it stops unexpectedly on a live host.</summary>
    NeverStop,
}
