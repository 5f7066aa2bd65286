namespace CloudBus.HostAgent.Hypervisor;

public enum StartVmOutcome
{
    Started,

    /// <summary>Already running with the requested incarnation: a retried start is not an error.</summary>
    AlreadyRunning,

    /// <summary>Running with another incarnation: the caller is out of date.</summary>
    IncarnationConflict,

    InsufficientCapacity,

    /// <summary>The hypervisor refused (bad configuration, missing image, ...): nothing runs.</summary>
    Refused,
}
