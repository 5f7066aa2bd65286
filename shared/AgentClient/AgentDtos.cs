using CloudBus.Messages;
using System.Text.Json.Serialization;
using CloudBus.Messages.Vms;

namespace CloudBus.AgentClient;

// The JSON shapes of the host agent's control-plane API (see services/HostAgent/Api).

public sealed record AgentPing(string HostId, string BootId, DateTimeOffset At);

/// <summary>A VM as its host reports it. <see cref="State"/> stays text on the wire: a newer agent may name a state this version does not know.</summary>
public sealed record AgentVm(string VmId, string State, long Incarnation, int CpuCores, int MemoryMib, VmDevices? Devices = null)
{
    /// <summary>
    /// The reported state, or null for one this version does not know: the VM is there, in some
    /// state; never read as Stopped (which would make HA act on a VM that may run).
    /// </summary>
    [JsonIgnore]
    public VmPowerState? PowerState =>
        EnumNames.TryParse<VmPowerState>(State, out var parsed) ? parsed : null;
}

public sealed record AgentVmReport(string HostId, DateTimeOffset At, IReadOnlyList<AgentVm> Vms);

public sealed record AgentStartVm(long Incarnation, int CpuCores, int MemoryMib, IReadOnlyList<VmDiskSpec>? Disks = null, IReadOnlyList<VmNicSpec>? Nics = null);

public sealed record AgentStopVm(bool Force);

/// <summary>A start's or stop's answer; a start's carries the devices the running VM has (null from an agent that does not say).</summary>
public sealed record AgentVmResult(string VmId, string State, VmDevices? Devices = null);

/// <summary>
/// A host's storage heartbeat as a neighbour reads it: the sequence advances on every write; the
/// host states how long it lets its VMs run once it cannot write (null if it does not say).
/// </summary>
public sealed record AgentHeartbeat(string HostId, long Sequence, DateTimeOffset WrittenAt, double AgeSeconds, double? SelfFenceAfterSeconds = null, bool? Watchdog = null);

public sealed record AgentNeighbourPing(bool Reachable);

/// <summary>A VM event of a host: "Started", or "Stopped" (shut down, destroyed or died; <see cref="Detail"/> says which).</summary>
public sealed record AgentVmEvent(long Sequence, string HostId, string VmId, string Kind, string Detail, DateTimeOffset At)
{
    [JsonIgnore]
    public bool IsStop => string.Equals(Kind, "Stopped", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Events after the sequence asked for, and the last sequence of the agent's log (ask after it next).</summary>
public sealed record AgentEvents(IReadOnlyList<AgentVmEvent> Events, long Last);
