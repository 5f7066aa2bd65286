namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// Result of a start. <see cref="Incarnation"/> is the incarnation now running (the existing one on
/// a conflict); <see cref="Message"/> explains a refusal. <see cref="Devices"/>: what the running
/// VM has, read back from the host right after the start.
/// </summary>
public sealed record StartVmResult(StartVmOutcome Outcome, string VmId, long? Incarnation, string? Message, VmDevices? Devices = null)
{
    public bool IsRunning => Outcome is StartVmOutcome.Started or StartVmOutcome.AlreadyRunning;
}
