namespace CloudBus.HostAgent.Hypervisor;

public enum HostCallStatus
{
    /// <summary>The host answered.</summary>
    Answered,

    /// <summary>No host with that id is served by this agent process.</summary>
    UnknownHost,

    /// <summary>The host exists but cannot be reached (powered off, cut off, isolated, flaky).</summary>
    Unreachable,
}
