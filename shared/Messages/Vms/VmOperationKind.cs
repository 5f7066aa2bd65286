using System.Text.Json.Serialization;

namespace CloudBus.Messages.Vms;

/// <summary>What a VM command or operation is (journaled with it, and named in its end).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VmOperationKind>))]
public enum VmOperationKind
{
    Create,
    /// <summary>A change of the VM's HA level or restart priority.</summary>
    SetHa,
    Start,
    /// <summary>A graceful stop (forced if it does not end in time).</summary>
    Stop,
    ForcedStop,
    Reboot,
    /// <summary>A cold migration: stopped on its host, started on another.</summary>
    Migrate,
    Destroy,
}

public static class VmOperationKindWords
{
    /// <summary>The kind as a person reads it in a reason or an error ("forced stop", "set HA").</summary>
    public static string InWords(this VmOperationKind kind) => kind switch
    {
        VmOperationKind.SetHa => "set HA",
        VmOperationKind.ForcedStop => "forced stop",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
