namespace CloudBus.HostAgent.Simulation;

/// <summary>Operator-visible events of the simulated driver (event ids 1100-1199).</summary>
internal static partial class SimulationLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Simulated host {HostId} added to cluster {Cluster} with {CpuCores} cores and {MemoryMib} MiB")]
    public static partial void HostAdded(this ILogger logger, string hostId, string cluster, int cpuCores, int memoryMib);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Host {HostId} powered off; {VmCount} VMs died with it")]
    public static partial void HostPoweredOff(this ILogger logger, string hostId, int vmCount);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information,
        Message = "Host {HostId} powered on with boot id {BootId}")]
    public static partial void HostPoweredOn(this ILogger logger, string hostId, Guid bootId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Fault injection on host {HostId}: {Fault}")]
    public static partial void FaultInjected(this ILogger logger, string hostId, string fault);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning,
        Message = "VM {VmId} crashed on host {HostId} (injected)")]
    public static partial void VmCrashed(this ILogger logger, string vmId, string hostId);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information,
        Message = "VM {VmId} incarnation {Incarnation} started on host {HostId}")]
    public static partial void VmStarted(this ILogger logger, string vmId, long incarnation, string hostId);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information,
        Message = "VM {VmId} stopped on host {HostId} ({Reason})")]
    public static partial void VmStopped(this ILogger logger, string vmId, string hostId, VmRunEndReason reason);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning,
        Message = "Host {HostId} cannot write its storage heartbeat: {Reason}")]
    public static partial void HeartbeatWriteFailed(this ILogger logger, Exception? exception, string hostId, string reason);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information,
        Message = "Host {HostId} writes its storage heartbeat again")]
    public static partial void HeartbeatWriteRestored(this ILogger logger, string hostId);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Error,
        Message = "Host {HostId} self-fenced: no storage heartbeat written for {StaleFor}; killed {VmCount} VMs")]
    public static partial void HostSelfFenced(this ILogger logger, string hostId, TimeSpan staleFor, int vmCount);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Debug,
        Message = "Control-plane request to host {HostId} dropped: the host is unreachable")]
    public static partial void ControlPlaneRequestDropped(this ILogger logger, string hostId);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Information,
        Message = "Faults on host {HostId} healed")]
    public static partial void FaultsHealed(this ILogger logger, string hostId);
}
