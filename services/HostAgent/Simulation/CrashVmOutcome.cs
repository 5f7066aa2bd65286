namespace CloudBus.HostAgent.Simulation;

public enum CrashVmOutcome
{
    Crashed,
    UnknownHost,
    VmNotOnHost,
}
