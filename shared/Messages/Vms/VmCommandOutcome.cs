using System.Text.Json.Serialization;

namespace CloudBus.Messages.Vms;

/// <summary>How a VM command ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VmCommandOutcome>))]
public enum VmCommandOutcome
{
    Done,
    /// <summary>No such VM.</summary>
    NotFound,
    /// <summary>Not allowed in the VM's state (the message says which and why): nothing changed.</summary>
    Refused,
    /// <summary>No host can take the VM; the message says why for each host.</summary>
    NoCapacity,
    /// <summary>The host agent failed or did not answer, or the instance running the command died; the VM is in a settled state.</summary>
    HostFailed,
    /// <summary>The command itself is malformed (the message names the fields): nothing was tried.</summary>
    Invalid,
}
